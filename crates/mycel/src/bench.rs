//! `mycel bench lrs`: a benchmark of the learning record store.
//!
//! It generates a realistic, deterministic cmi5 workload (employees working through courses),
//! loads a volume of statements through the store's bulk path (`LrsStore::insert_statements`,
//! prepared the way the app prepares them), starts `mycel serve` as a child process and measures
//! over HTTP on loopback: statement ingest at several batch sizes and concurrencies, query
//! latency with that volume stored, and the server's memory. The result is a Markdown report.

use crate::config::Config;
use anyhow::{anyhow, bail, Context};
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use clap::Subcommand;
use mycel_app::organisation as ops;
use mycel_app::Acting;
use mycel_organisation::{CredentialId, Scope};
use mycel_store::lrs::NewStatement;
use mycel_store::{Store, TenantScope};
use mycel_xapi::{prepare_statement, Assignment, XapiVersion};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "bench_competencies.rs"]
mod competencies;
#[path = "bench_paths.rs"]
mod paths;
#[path = "bench_planner.rs"]
mod planner;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// The learning record store: bulk load, then ingest and query latency over HTTP.
    Lrs(LrsArgs),
    /// The competency engine: ESCO import, a generated tenant through the bulk paths, profiles
    /// and aggregated gaps.
    Competencies(competencies::CompetencyArgs),
    /// The catalogue search: a generated German/English catalogue indexed on disk, then search
    /// latency over a realistic query mix and single-document update latency.
    Search(SearchArgs),
    /// The learning path planner: its choice against the exact optimum (an integer program) on
    /// generated instances, and its time per path.
    Planner(planner::PlannerArgs),
    /// Personal learning paths on a network written by `mycel generate` (give its database):
    /// one person's path for a sample of people, and with `--all` every person re-planned.
    Paths(paths::PathArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// Opportunities in the generated catalogue.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    documents: usize,
    /// Searches measured.
    #[arg(long, default_value_t = 2_000, value_name = "N")]
    queries: usize,
    /// Single-document updates measured.
    #[arg(long, default_value_t = 100, value_name = "N")]
    upserts: usize,
    /// Seed of the generated catalogue and queries.
    #[arg(long, default_value_t = 42, value_name = "S")]
    seed: u64,
}

#[derive(Debug, Clone, clap::Args)]
pub struct LrsArgs {
    /// How many statements to store before the query phase.
    #[arg(long, default_value_t = 1_000_000, value_name = "N")]
    statements: u64,
    /// Duration of each HTTP ingest phase.
    #[arg(long, default_value_t = 10, value_name = "S")]
    seconds: u64,
    /// Seed of the generated workload.
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,
}

pub async fn run(
    mut config: Config,
    explicit_data_dir: bool,
    config_file: Option<PathBuf>,
    command: BenchCommand,
) -> anyhow::Result<()> {
    match command {
        BenchCommand::Search(args) => {
            let dir = tempfile::Builder::new()
                .prefix("mycel-bench-search-")
                .tempdir()
                .context("cannot create a temporary directory")?;
            let config = mycel_search::BenchConfig {
                documents: args.documents,
                queries: args.queries,
                upserts: args.upserts,
                seed: args.seed,
                directory: Some(dir.path().join("index")),
            };
            println!(
                "catalogue search: {} opportunities, {} searches, {} single updates, seed {}, index on disk",
                config.documents, config.queries, config.upserts, config.seed
            );
            let report = tokio::task::spawn_blocking(move || mycel_search::benchmark(&config))
                .await
                .context("the benchmark task failed")??;
            print!("{report}");
            Ok(())
        }
        BenchCommand::Planner(args) => tokio::task::spawn_blocking(move || planner::run(&args))
            .await
            .context("the benchmark task failed")?,
        BenchCommand::Paths(args) => paths::run(config, args).await,
        BenchCommand::Competencies(args) => {
            competencies::run(config, explicit_data_dir, args).await
        }
        BenchCommand::Lrs(args) => {
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
            // Interrupted: dropping the run stops the server child through its guard.
            let result = tokio::select! {
                result = lrs(&config, config_file, &args) => result,
                () = interrupted() => Err(anyhow!("interrupted")),
            };
            drop(temp);
            result
        }
    }
}

/// Ctrl-C or SIGTERM.
async fn interrupted() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

// ---------------------------------------------------------------------------------------------
// The workload
// ---------------------------------------------------------------------------------------------

const FIRST_NAMES: [&str; 24] = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Katrin",
    "Lukas", "Mara", "Niklas", "Olga", "Paul", "Quirin", "Rosa", "Stefan", "Tanja", "Ugur", "Vera",
    "Wolfgang", "Yasmin",
];
const LAST_NAMES: [&str; 20] = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Yilmaz",
    "Kowalski",
];
/// (German, English) course topics.
const TOPICS: [(&str, &str); 16] = [
    ("Datenschutz", "Data protection"),
    ("Arbeitssicherheit", "Occupational safety"),
    ("Brandschutz", "Fire safety"),
    ("Kundengespräche", "Customer conversations"),
    ("Warenwirtschaft", "Merchandise management"),
    ("Kassensysteme", "Point of sale systems"),
    ("Führung im Team", "Leading a team"),
    ("Zeitmanagement", "Time management"),
    ("Compliance", "Compliance"),
    ("Lebensmittelhygiene", "Food hygiene"),
    ("Tabellenkalkulation", "Spreadsheets"),
    ("Reklamationen", "Handling complaints"),
    ("Verkaufstechnik", "Sales technique"),
    ("Informationssicherheit", "Information security"),
    ("Erste Hilfe", "First aid"),
    ("Gesprächsführung", "Conducting conversations"),
];
const SITE: &str = "https://learn.handel-nord.example";
const HR_HOME: &str = "https://hr.handel-nord.example";
const ADL: &str = "http://adlnet.gov/expapi/verbs/";
const ADL_W3ID: &str = "https://w3id.org/xapi/adl/verbs/";
const CMI5_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
const SESSION_EXT: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
const PROGRESS_EXT: &str = "https://w3id.org/xapi/cmi5/result/extensions/progress";
const LESSON: &str = "http://adlnet.gov/expapi/activities/lesson";
const COURSE: &str = "http://adlnet.gov/expapi/activities/course";

#[derive(Debug, Clone)]
struct Course {
    program: u32,
    topic: usize,
    level: u32,
    aus: u32,
}

#[derive(Debug, Clone)]
struct Catalog {
    people: u32,
    courses: Vec<Course>,
}

impl Catalog {
    /// Thousands of people (more for larger volumes), hundreds of courses in 24 programs.
    fn new(seed: u64, statements: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let people = u32::try_from((statements / 200).clamp(3_000, 50_000)).unwrap_or(50_000);
        let courses = (0..400)
            .map(|i| Course {
                program: i % 24,
                topic: rng.gen_range(0..TOPICS.len()),
                level: rng.gen_range(1..=4),
                aus: rng.gen_range(1..=5),
            })
            .collect();
        Self { people, courses }
    }
}

fn course_iri(course: u32) -> String {
    format!("{SITE}/courses/c{course:04}")
}

fn au_iri(course: u32, au: u32) -> String {
    format!("{SITE}/courses/c{course:04}/au/{au}")
}

fn program_iri(program: u32) -> String {
    format!("{SITE}/programs/p{program:02}")
}

/// The actor of a person: most have an account in the HR system, some only an e-mail address.
fn actor(person: u32) -> Value {
    let first = FIRST_NAMES[person as usize % FIRST_NAMES.len()];
    let last = LAST_NAMES[(person as usize / FIRST_NAMES.len()) % LAST_NAMES.len()];
    let name = format!("{first} {last}");
    if person.is_multiple_of(5) {
        let local = format!("{first}.{last}.{person}")
            .to_lowercase()
            .replace('ü', "ue")
            .replace('ö', "oe");
        json!({"objectType": "Agent", "name": name, "mbox": format!("mailto:{local}@handel-nord.example")})
    } else {
        json!({"objectType": "Agent", "name": name, "account": {"homePage": HR_HOME, "name": format!("E{person:06}")}})
    }
}

/// The `agent` query parameter that finds a person's statements.
fn agent_param(actor: &Value) -> Value {
    match actor.get("mbox") {
        Some(mbox) => json!({"mbox": mbox}),
        None => json!({"account": actor.get("account").cloned().unwrap_or(Value::Null)}),
    }
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The registration of a person in a course: the same for every statement of that pair.
fn registration(seed: u64, person: u32, course: u32) -> uuid::Uuid {
    let a = splitmix(seed ^ (u64::from(person) << 32) ^ u64::from(course));
    let b = splitmix(a ^ 0x5EED);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_le_bytes());
    bytes[8..].copy_from_slice(&b.to_le_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn random_uuid(rng: &mut StdRng) -> uuid::Uuid {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
}

fn iso_duration(seconds: u32) -> String {
    format!("PT{}M{}S", seconds / 60, seconds % 60)
}

/// Where one person is in one course.
#[derive(Debug, Clone)]
struct Enrollment {
    person: u32,
    course: u32,
    registration: uuid::Uuid,
    au: u32,
    step: u32,
    progressed: u32,
    passes: bool,
    session: uuid::Uuid,
    seconds: u32,
}

/// What the query phase needs to know about a generated statement.
#[derive(Debug, Clone)]
struct Sample {
    agent: Value,
    activity: String,
    verb: String,
    registration: uuid::Uuid,
}

#[derive(Debug)]
struct Workload {
    seed: u64,
    rng: StdRng,
    catalog: Arc<Catalog>,
    active: Vec<Option<Enrollment>>,
}

impl Workload {
    fn new(seed: u64, stream: u64, catalog: Arc<Catalog>) -> Self {
        Self {
            seed,
            rng: StdRng::seed_from_u64(splitmix(seed ^ splitmix(stream))),
            catalog,
            active: vec![None; 1_000],
        }
    }

    fn enroll(&mut self) -> Enrollment {
        let person = self.rng.gen_range(0..self.catalog.people);
        let course = self.rng.gen_range(0..self.catalog.courses.len() as u32);
        self.start_au(Enrollment {
            person,
            course,
            registration: registration(self.seed, person, course),
            au: 0,
            step: 0,
            progressed: 0,
            passes: true,
            session: uuid::Uuid::nil(),
            seconds: 0,
        })
    }

    fn start_au(&mut self, mut e: Enrollment) -> Enrollment {
        e.step = 0;
        e.progressed = self.rng.gen_range(2..=6);
        e.passes = self.rng.gen_bool(0.8);
        e.session = random_uuid(&mut self.rng);
        e.seconds = 0;
        e
    }

    /// The next statement of a random active enrollment, with this timestamp.
    fn next(&mut self, timestamp: DateTime<Utc>) -> (Value, Sample) {
        let slot = self.rng.gen_range(0..self.active.len());
        let mut e = match self.active[slot].take() {
            Some(e) => e,
            None => self.enroll(),
        };
        let (course_aus, program, topic, level) = {
            let c = &self.catalog.courses[e.course as usize];
            (c.aus, c.program, c.topic, c.level)
        };
        let (de, en) = TOPICS[topic];
        let last_progress = 2 + e.progressed;
        let (verb, verb_de, verb_en, result) = match e.step {
            0 => (format!("{ADL}launched"), "gestartet", "launched", None),
            1 => (
                format!("{ADL}initialized"),
                "initialisiert",
                "initialized",
                None,
            ),
            s if s < last_progress => {
                e.seconds += self.rng.gen_range(60..600);
                let progress = (s - 1) * 100 / (e.progressed + 1);
                (
                    format!("{ADL}progressed"),
                    "fortgeschritten",
                    "progressed",
                    Some(json!({"extensions": {PROGRESS_EXT: progress}})),
                )
            }
            s if s == last_progress => {
                e.seconds += self.rng.gen_range(30..300);
                (
                    format!("{ADL}completed"),
                    "abgeschlossen",
                    "completed",
                    Some(json!({"completion": true, "duration": iso_duration(e.seconds)})),
                )
            }
            s if s == last_progress + 1 => {
                let raw: u32 = if e.passes {
                    self.rng.gen_range(70..=100)
                } else {
                    self.rng.gen_range(20..70)
                };
                let score =
                    json!({"scaled": f64::from(raw) / 100.0, "raw": raw, "min": 0, "max": 100});
                if e.passes {
                    (
                        format!("{ADL}passed"),
                        "bestanden",
                        "passed",
                        Some(json!({"score": score, "success": true})),
                    )
                } else {
                    (
                        format!("{ADL}failed"),
                        "nicht bestanden",
                        "failed",
                        Some(json!({"score": score, "success": false})),
                    )
                }
            }
            _ => {
                e.seconds += self.rng.gen_range(5..60);
                (
                    format!("{ADL}terminated"),
                    "beendet",
                    "terminated",
                    Some(json!({"duration": iso_duration(e.seconds)})),
                )
            }
        };
        // Once in a while a learner walks away: the LMS records the session as abandoned.
        let (verb, verb_de, verb_en, result) =
            if e.step == last_progress + 2 && self.rng.gen_bool(0.05) {
                (
                    format!("{ADL_W3ID}abandoned"),
                    "abgebrochen",
                    "abandoned",
                    Some(json!({"duration": iso_duration(e.seconds)})),
                )
            } else {
                (verb, verb_de, verb_en, result)
            };
        let au = au_iri(e.course, e.au);
        let mut statement = json!({
            "id": random_uuid(&mut self.rng).to_string(),
            "actor": actor(e.person),
            "verb": {"id": verb, "display": {"de-DE": verb_de, "en-US": verb_en}},
            "object": {
                "objectType": "Activity",
                "id": au,
                "definition": {
                    "name": {
                        "de-DE": format!("{de} {level}, Lektion {}", e.au + 1),
                        "en-US": format!("{en} {level}, lesson {}", e.au + 1),
                    },
                    "type": LESSON,
                },
            },
            "context": {
                "registration": e.registration.to_string(),
                "contextActivities": {
                    "parent": [{"objectType": "Activity", "id": course_iri(e.course), "definition": {
                        "name": {"de-DE": format!("{de} {level}"), "en-US": format!("{en} {level}")},
                        "type": COURSE,
                    }}],
                    "grouping": [{"objectType": "Activity", "id": program_iri(program)}],
                    "category": [{"id": CMI5_CATEGORY}],
                },
                "extensions": {SESSION_EXT: e.session.to_string()},
            },
            "timestamp": timestamp.to_rfc3339_opts(SecondsFormat::Millis, true),
        });
        if let (Some(result), Some(object)) = (result, statement.as_object_mut()) {
            object.insert("result".into(), result);
        }
        let sample = Sample {
            agent: agent_param(&actor(e.person)),
            activity: au,
            verb,
            registration: e.registration,
        };
        // Advance: the next step, the next AU, or a new enrollment in this slot.
        e.step += 1;
        if e.step > last_progress + 2 {
            e.au += 1;
            if e.au < course_aus {
                self.active[slot] = Some(self.start_au(e));
            }
        } else {
            self.active[slot] = Some(e);
        }
        (statement, sample)
    }
}

// ---------------------------------------------------------------------------------------------
// Preparing statements as the app does (`mycel_app::lrs::prepare`, which is private)
// ---------------------------------------------------------------------------------------------

fn prepare(
    statement: &Value,
    stored: DateTime<Utc>,
    authority: &Value,
    credential: CredentialId,
) -> anyhow::Result<NewStatement> {
    let assignment = Assignment {
        id: uuid::Uuid::new_v4(),
        stored,
        authority: Some(authority.clone()),
    };
    let prepared = prepare_statement(statement, XapiVersion::V1_0_3, &assignment)
        .map_err(|e| anyhow!("a generated statement is invalid: {e}"))?;
    Ok(mycel_app::lrs::statement_for_store(
        prepared, stored, credential,
    ))
}

// ---------------------------------------------------------------------------------------------
// Bulk load
// ---------------------------------------------------------------------------------------------

const BULK_BATCH: usize = 500;
const SIX_MONTHS_MS: i64 = 182 * 24 * 3600 * 1000;

/// Values of stored statements the queries pick from, with their `stored` time.
#[derive(Debug, Default)]
struct Samples {
    items: Vec<(Sample, DateTime<Utc>)>,
}

struct LoadResult {
    samples: Samples,
    seconds: f64,
    bytes: u64,
}

async fn bulk_load(
    store: Arc<dyn Store>,
    scope: TenantScope,
    args: &LrsArgs,
    catalog: Arc<Catalog>,
    authority: Value,
    credential: CredentialId,
) -> anyhow::Result<LoadResult> {
    let total = args.statements;
    let seed = args.seed;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<NewStatement>>(4);
    let start = Utc::now().trunc_subsecs(3) - chrono::Duration::milliseconds(SIX_MONTHS_MS);
    // Preparing (validation, JSON) runs on a thread of its own while the database writes.
    let producer = tokio::task::spawn_blocking(move || -> anyhow::Result<(Samples, u64)> {
        let mut workload = Workload::new(seed, 0, catalog);
        let mut samples = Samples::default();
        let stride = (total / 4_000).max(1);
        let mut bytes = 0u64;
        let mut batch = Vec::with_capacity(BULK_BATCH);
        let mut defined: HashSet<String> = HashSet::new();
        let step = SIX_MONTHS_MS as f64 / total.max(1) as f64;
        for i in 0..total {
            // Statements arrive spread over the last six months, a few seconds after they happen.
            let stored = start + chrono::Duration::milliseconds((i as f64 * step) as i64);
            let timestamp =
                stored - chrono::Duration::milliseconds(workload.rng.gen_range(0..5_000));
            let (statement, sample) = workload.next(timestamp);
            let mut new = prepare(&statement, stored, &authority, credential)?;
            // As the app does: one definition per activity and batch.
            new.activity_definitions
                .retain(|(id, _)| defined.insert(id.clone()));
            bytes += new.json.len() as u64;
            if i % stride == 0 {
                samples.items.push((sample, stored));
            }
            batch.push(new);
            if batch.len() == BULK_BATCH || i + 1 == total {
                defined.clear();
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BULK_BATCH));
                if tx.blocking_send(full).is_err() {
                    break;
                }
            }
        }
        Ok((samples, bytes))
    });
    let began = Instant::now();
    let mut loaded = 0u64;
    let mut next_report = 1u64;
    while let Some(batch) = rx.recv().await {
        let n = batch.len() as u64;
        store
            .insert_statements(scope, batch)
            .await
            .context("the bulk insert failed")?;
        loaded += n;
        while total > 0 && loaded * 10 >= next_report * total && next_report <= 10 {
            let elapsed = began.elapsed().as_secs_f64();
            println!(
                "  loaded {loaded:>10} of {total} ({:>3}%) in {elapsed:>7.1} s, {:>8.0} statements/s",
                next_report * 10,
                loaded as f64 / elapsed.max(1e-9)
            );
            next_report += 1;
        }
    }
    let seconds = began.elapsed().as_secs_f64();
    let (samples, bytes) = producer.await.context("the statement generator failed")??;
    Ok(LoadResult {
        samples,
        seconds,
        bytes,
    })
}

// ---------------------------------------------------------------------------------------------
// The server under test
// ---------------------------------------------------------------------------------------------

/// The child `mycel serve`; stopped with SIGTERM when dropped.
struct Server {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    base: String,
    log: PathBuf,
}

impl Server {
    async fn start(
        config: &Config,
        config_file: Option<PathBuf>,
        log: PathBuf,
    ) -> anyhow::Result<Server> {
        // This very binary, even if the file was replaced meanwhile (a rebuild during a long load).
        let proc_exe = std::path::Path::new("/proc/self/exe");
        let exe = if proc_exe.exists() {
            proc_exe.to_path_buf()
        } else {
            std::env::current_exe().context("cannot find the mycel binary")?
        };
        let mut command = Command::new(exe);
        if let Some(file) = config_file {
            command.arg("--config").arg(file);
        }
        command
            .arg("serve")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data-dir")
            .arg(&config.data_dir);
        if let Some(url) = &config.database_url {
            command.arg("--database-url").arg(url);
        }
        let log_file = std::fs::File::create(&log)
            .with_context(|| format!("cannot create {}", log.display()))?;
        // Request logs at info level would cost the server time; warnings and errors are kept.
        command
            .env("MYCEL_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file));
        let mut child = command.spawn().context("cannot start mycel serve")?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            bail!("mycel serve has no standard output");
        };
        let mut server = Server {
            child,
            _stdout: BufReader::new(stdout),
            base: String::new(),
            log,
        };
        let mut line = String::new();
        // Blocks until the server prints its address or exits.
        let read = tokio::task::block_in_place(|| server._stdout.read_line(&mut line));
        let read = read.context("cannot read the server's output")?;
        let address = line
            .trim()
            .strip_prefix("Mycel is listening on ")
            .filter(|_| read > 0)
            .ok_or_else(|| {
                anyhow!(
                    "mycel serve did not start (its log: {})",
                    server.log.display()
                )
            })?;
        server.base = address.to_owned();
        Ok(server)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then wait for the graceful shutdown (bounded by its grace period).
    fn stop(&mut self) -> anyhow::Result<std::process::ExitStatus> {
        if let Some(status) = self.child.try_wait()? {
            return Ok(status);
        }
        let signalled = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !signalled {
            self.child.kill()?;
        }
        Ok(self.child.wait()?)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Resident memory of a process in KiB: total (VmRSS), anonymous (heap, stacks) and file-backed
/// (the binary, memory-mapped database pages).
#[derive(Debug, Clone, Copy, Default)]
struct Rss {
    total: u64,
    anon: u64,
    file: u64,
}

impl Rss {
    fn read(pid: u32) -> Option<Rss> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let field = |name: &str| -> Option<u64> {
            let line = status.lines().find(|l| l.starts_with(name))?;
            line.split_whitespace().nth(1)?.parse().ok()
        };
        Some(Rss {
            total: field("VmRSS:")?,
            anon: field("RssAnon:").unwrap_or(0),
            file: field("RssFile:").unwrap_or(0),
        })
    }

    fn max(self, other: Rss) -> Rss {
        Rss {
            total: self.total.max(other.total),
            anon: self.anon.max(other.anon),
            file: self.file.max(other.file),
        }
    }
}

/// Samples the resident memory of a process every 100 ms.
struct MemorySampler {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<(Rss, Rss)>>,
}

impl MemorySampler {
    fn start(pid: u32) -> Self {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let (mut max, mut last) = (Rss::default(), Rss::default());
            loop {
                if let Some(rss) = Rss::read(pid) {
                    max = max.max(rss);
                    last = rss;
                }
                match stopped.recv_timeout(Duration::from_millis(100)) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
            }
            (max, last)
        });
        Self {
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// (maxima, last sample).
    fn finish(mut self) -> (Rss, Rss) {
        self.stop.take();
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP phases
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Http {
    client: reqwest::Client,
    base: String,
    key: String,
    secret: String,
}

impl Http {
    fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, url)
            .basic_auth(&self.key, Some(&self.secret))
            .header("X-Experience-API-Version", "1.0.3")
    }
}

#[derive(Debug, Default)]
struct Latencies(Vec<Duration>);

impl Latencies {
    fn percentile(&self, p: usize) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let i = (sorted.len() * p / 100).min(sorted.len() - 1);
        sorted[i]
    }
    fn max(&self) -> Duration {
        self.0.iter().max().copied().unwrap_or(Duration::ZERO)
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[derive(Debug)]
struct IngestResult {
    name: String,
    requests: usize,
    statements: u64,
    seconds: f64,
    latencies: Latencies,
    errors: u64,
    first_error: Option<String>,
}

async fn ingest(
    http: &Http,
    catalog: &Arc<Catalog>,
    seed: u64,
    phase: u64,
    batch: usize,
    concurrency: usize,
    seconds: u64,
) -> anyhow::Result<IngestResult> {
    let name = if batch == 1 {
        format!("single statements, concurrency {concurrency}")
    } else {
        format!("batches of {batch}, concurrency {concurrency}")
    };
    println!("  {name} for {seconds} s");
    let began = Instant::now();
    let deadline = began + Duration::from_secs(seconds);
    let url = format!("{}/xapi/statements", http.base);
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let http = http.clone();
        let url = url.clone();
        let mut workload = Workload::new(seed, phase * 1_000 + worker as u64 + 1, catalog.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut statements = 0u64;
            let mut errors = 0u64;
            let mut first_error = None;
            while Instant::now() < deadline {
                let now = Utc::now();
                let mut list: Vec<Value> = (0..batch)
                    .map(|_| {
                        let ts =
                            now - chrono::Duration::milliseconds(workload.rng.gen_range(0..3_000));
                        workload.next(ts).0
                    })
                    .collect();
                let body = if batch == 1 {
                    list.pop().unwrap_or(Value::Null)
                } else {
                    Value::Array(list)
                };
                let body = body.to_string();
                let sent = Instant::now();
                let response = http
                    .request(reqwest::Method::POST, &url)
                    .header("Content-Type", "application/json")
                    .body(body)
                    .send()
                    .await;
                let outcome = match response {
                    Ok(r) => {
                        let status = r.status();
                        match r.bytes().await {
                            Ok(_) if status.is_success() => Ok(()),
                            Ok(text) => Err(format!(
                                "{status}: {}",
                                String::from_utf8_lossy(&text[..text.len().min(300)])
                            )),
                            Err(e) => Err(e.to_string()),
                        }
                    }
                    Err(e) => Err(e.to_string()),
                };
                latencies.push(sent.elapsed());
                match outcome {
                    Ok(()) => statements += batch as u64,
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (latencies, statements, errors, first_error)
        }));
    }
    let mut result = IngestResult {
        name,
        requests: 0,
        statements: 0,
        seconds: 0.0,
        latencies: Latencies::default(),
        errors: 0,
        first_error: None,
    };
    for worker in workers {
        let (latencies, statements, errors, first_error) =
            worker.await.context("an ingest worker failed")?;
        result.requests += latencies.len();
        result.latencies.0.extend(latencies);
        result.statements += statements;
        result.errors += errors;
        if result.first_error.is_none() {
            result.first_error = first_error;
        }
    }
    result.seconds = began.elapsed().as_secs_f64();
    println!(
        "    {:.0} statements/s, p50 {} ms, p99 {} ms, {} errors",
        result.statements as f64 / result.seconds,
        ms(result.latencies.percentile(50)),
        ms(result.latencies.percentile(99)),
        result.errors
    );
    if let Some(e) = &result.first_error {
        println!("    first error: {e}");
    }
    Ok(result)
}

#[derive(Debug)]
struct QueryResult {
    name: String,
    latencies: Latencies,
    returned: u64,
}

/// GET a statements URL; returns the latency, the number of statements and the `more` link.
async fn get_statements(http: &Http, url: &str) -> anyhow::Result<(Duration, u64, String)> {
    let sent = Instant::now();
    let response = http
        .request(reqwest::Method::GET, url)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .with_context(|| format!("GET {url}"))?;
    let latency = sent.elapsed();
    if !status.is_success() {
        bail!(
            "GET {url}: {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        );
    }
    let value: Value = serde_json::from_slice(&body).with_context(|| format!("GET {url}"))?;
    let count = value
        .get("statements")
        .and_then(Value::as_array)
        .map_or(0, |a| a.len() as u64);
    let more = value
        .get("more")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    Ok((latency, count, more))
}

fn statements_url(http: &Http, params: &[(&str, String)]) -> anyhow::Result<String> {
    let url = reqwest::Url::parse_with_params(&format!("{}/xapi/statements", http.base), params)
        .context("cannot build a query URL")?;
    Ok(url.to_string())
}

const QUERIES: usize = 200;
const WALKS: usize = 10;
const WALK_PAGES: usize = 20;

async fn queries(http: &Http, samples: &Samples, seed: u64) -> anyhow::Result<Vec<QueryResult>> {
    if samples.items.is_empty() {
        bail!("no statements were loaded to query");
    }
    let mut rng = StdRng::seed_from_u64(splitmix(seed ^ 0x51E5));
    let mut results = Vec::new();
    let pick = |rng: &mut StdRng| &samples.items[rng.gen_range(0..samples.items.len())];
    let timestamp = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);

    let kinds: [&str; 3] = [
        "by agent",
        "by activity + verb + since (30 days before a stored statement)",
        "by registration",
    ];
    for (kind, name) in kinds.iter().enumerate() {
        println!("  {name}: {QUERIES} queries");
        let mut result = QueryResult {
            name: (*name).to_owned(),
            latencies: Latencies::default(),
            returned: 0,
        };
        for _ in 0..QUERIES {
            let (sample, stored) = pick(&mut rng);
            let params = match kind {
                0 => vec![("agent", sample.agent.to_string())],
                1 => vec![
                    ("activity", sample.activity.clone()),
                    ("verb", sample.verb.clone()),
                    ("since", timestamp(*stored - chrono::Duration::days(30))),
                ],
                _ => vec![("registration", sample.registration.to_string())],
            };
            let url = statements_url(http, &params)?;
            let (latency, count, _) = get_statements(http, &url).await?;
            result.latencies.0.push(latency);
            result.returned += count;
        }
        results.push(result);
    }

    println!("  more walk: {WALKS} walks of {WALK_PAGES} pages of 100");
    let mut walk = QueryResult {
        name: format!("`more` walk, limit=100, per page ({WALKS} walks × {WALK_PAGES} pages)"),
        latencies: Latencies::default(),
        returned: 0,
    };
    for _ in 0..WALKS {
        // An export of everything stored before a point in time, page by page.
        let (_, stored) = pick(&mut rng);
        let mut url = statements_url(
            http,
            &[("limit", "100".to_owned()), ("until", timestamp(*stored))],
        )?;
        for _ in 0..WALK_PAGES {
            let (latency, count, more) = get_statements(http, &url).await?;
            walk.latencies.0.push(latency);
            walk.returned += count;
            if more.is_empty() {
                break;
            }
            url = format!("{}{more}", http.base);
        }
    }
    results.push(walk);
    Ok(results)
}

// ---------------------------------------------------------------------------------------------
// The whole run
// ---------------------------------------------------------------------------------------------

fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if a.is_empty()
                || a.chars()
                    .any(|c| !(c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c)))
            {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

async fn lrs(config: &Config, config_file: Option<PathBuf>, args: &LrsArgs) -> anyhow::Result<()> {
    let started_at = Utc::now();
    let store = crate::open_store(config).await?;
    let backend = store.backend();
    println!(
        "mycel bench lrs: {backend}, {} statements, seed {}",
        args.statements, args.seed
    );
    if config.database_url.is_none() {
        println!("  SQLite database in {}", config.data_dir.display());
    }

    // A tenant of its own (random slug), and a credential that writes and reads statements.
    let op = Acting::Operator;
    let slug = format!("bench-{:08x}", rand::thread_rng().gen::<u32>());
    ops::create_tenant(&*store, op, &slug, "Benchmark Handel Nord")
        .await
        .context("cannot create the benchmark tenant")?;
    let (_, scope) = ops::enter_tenant(&*store, op, &slug).await?;
    let label = "Benchmark client";
    let issued = ops::create_credential(
        &*store,
        op,
        scope,
        label,
        &[Scope::StatementsWrite, Scope::StatementsRead],
    )
    .await
    .context("cannot create the benchmark credential")?;
    let home_page = config
        .public_url
        .clone()
        .unwrap_or_else(|| "http://localhost".to_owned());
    let authority = json!({
        "objectType": "Agent",
        "name": label,
        "account": {"homePage": home_page, "name": issued.key},
    });
    println!("  tenant {slug}");

    let catalog = Arc::new(Catalog::new(args.seed, args.statements));
    println!(
        "  workload: {} people, {} courses ({} AUs), 24 programs",
        catalog.people,
        catalog.courses.len(),
        catalog.courses.iter().map(|c| c.aus).sum::<u32>()
    );

    println!("bulk load through the store ({BULK_BATCH} per batch)");
    let load = bulk_load(
        store.clone(),
        scope,
        args,
        catalog.clone(),
        authority,
        issued.credential.id,
    )
    .await?;
    let load_rate = args.statements as f64 / load.seconds.max(1e-9);
    println!(
        "  {} statements in {:.1} s: {:.0} statements/s (average statement {} bytes)",
        args.statements,
        load.seconds,
        load_rate,
        load.bytes / args.statements.max(1)
    );
    store.close().await;

    let log = std::env::temp_dir().join(format!("mycel-bench-{slug}-server.log"));
    let mut server = Server::start(config, config_file, log).await?;
    println!(
        "server {} (pid {}), log {}",
        server.base,
        server.pid(),
        server.log.display()
    );
    let memory = MemorySampler::start(server.pid());
    let http = Http {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .timeout(Duration::from_secs(60))
            .build()
            .context("cannot build the HTTP client")?,
        base: server.base.clone(),
        key: issued.key.clone(),
        secret: issued.secret.clone(),
    };

    // Queries first, against exactly the bulk-loaded volume; then ingest adds to it.
    println!(
        "queries over HTTP with {} statements stored",
        args.statements
    );
    let query_results = queries(&http, &load.samples, args.seed).await?;

    println!("ingest over HTTP");
    let mut ingest_results = Vec::new();
    for (phase, (batch, concurrency)) in [(1, 1), (1, 8), (50, 4), (500, 2)].into_iter().enumerate()
    {
        ingest_results.push(
            ingest(
                &http,
                &catalog,
                args.seed,
                phase as u64 + 1,
                batch,
                concurrency,
                args.seconds,
            )
            .await?,
        );
    }
    let (rss_max, rss_end) = memory.finish();
    let status = server.stop()?;
    if !status.success() {
        println!("warning: the server exited with {status}");
    }

    // The report.
    let mut out = String::new();
    out.push_str(&format!(
        "\n## mycel bench lrs — {backend}, {} statements stored\n\n",
        args.statements
    ));
    out.push_str(&format!(
        "- started {}; {} CPUs available\n",
        started_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    ));
    out.push_str(&format!(
        "- bulk load through the store: {} statements in {:.1} s = **{:.0} statements/s** (batches of {BULK_BATCH}, average statement {} bytes)\n\n",
        args.statements, load.seconds, load_rate, load.bytes / args.statements.max(1)
    ));
    out.push_str(
        "| ingest over HTTP | requests | statements/s | p50 ms | p99 ms | max ms | errors |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for r in &ingest_results {
        out.push_str(&format!(
            "| {} | {} | {:.0} | {} | {} | {} | {} |\n",
            r.name,
            r.requests,
            r.statements as f64 / r.seconds,
            ms(r.latencies.percentile(50)),
            ms(r.latencies.percentile(99)),
            ms(r.latencies.max()),
            r.errors
        ));
    }
    out.push_str(&format!(
        "\n| query over HTTP ({} statements stored) | queries | avg statements returned | p50 ms | p99 ms | max ms |\n",
        args.statements
    ));
    out.push_str("|---|---:|---:|---:|---:|---:|\n");
    for r in &query_results {
        let n = r.latencies.0.len();
        out.push_str(&format!(
            "| {} | {} | {:.1} | {} | {} | {} |\n",
            r.name,
            n,
            r.returned as f64 / n.max(1) as f64,
            ms(r.latencies.percentile(50)),
            ms(r.latencies.percentile(99)),
            ms(r.latencies.max())
        ));
    }
    out.push_str(
        "\n| server memory, sampled every 100 ms during the HTTP phases | maximum MiB | at the end MiB |\n",
    );
    out.push_str("|---|---:|---:|\n");
    let mib = |kib: u64| kib as f64 / 1024.0;
    for (name, max, end) in [
        ("VmRSS (total resident)", rss_max.total, rss_end.total),
        ("RssAnon (heap, stacks)", rss_max.anon, rss_end.anon),
        (
            "RssFile (binary, memory-mapped database)",
            rss_max.file,
            rss_end.file,
        ),
    ] {
        out.push_str(&format!("| {name} | {:.1} | {:.1} |\n", mib(max), mib(end)));
    }
    out.push_str(&format!("\nCommand: `{}`\n", command_line()));
    println!("{out}");
    Ok(())
}
