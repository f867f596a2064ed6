//! A synthetic German and English catalogue and the latency of searching and updating it.
//!
//! Run it with `cargo run --release -p mycel-search --example search_bench -- --documents 100000`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::document::{DurationBucket, Lang, OpportunityDocument, Provider};
use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::query::{SearchQuery, SessionRange, SortOrder};

/// What to benchmark.
#[derive(Clone, Debug)]
pub struct BenchConfig {
    /// Opportunities in the catalogue.
    pub documents: usize,
    /// Searches measured (after a warm-up of 50).
    pub queries: usize,
    /// Single-document upserts measured.
    pub upserts: usize,
    /// Seed of the generator: the same seed gives the same catalogue and queries.
    pub seed: u64,
    /// Where to put the index; `None` keeps it in memory.
    pub directory: Option<PathBuf>,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            documents: 100_000,
            queries: 2_000,
            upserts: 100,
            seed: 42,
            directory: None,
        }
    }
}

/// Latencies of one kind of operation.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencySummary {
    /// What was measured.
    pub name: String,
    /// Number of operations.
    pub count: usize,
    /// Median, milliseconds.
    pub p50_ms: f64,
    /// 90th percentile, milliseconds.
    pub p90_ms: f64,
    /// 99th percentile, milliseconds.
    pub p99_ms: f64,
    /// Slowest, milliseconds.
    pub max_ms: f64,
    /// Mean number of hits (`total`) for searches, 0 for writes.
    pub mean_total: f64,
}

impl LatencySummary {
    fn of(name: &str, samples: &mut [(StdDuration, u64)]) -> LatencySummary {
        samples.sort_by_key(|(d, _)| *d);
        let ms = |d: StdDuration| d.as_secs_f64() * 1000.0;
        let at = |q: f64| {
            if samples.is_empty() {
                return 0.0;
            }
            let rank = ((samples.len() as f64) * q).ceil() as usize;
            ms(samples[rank.clamp(1, samples.len()) - 1].0)
        };
        let totals: u64 = samples.iter().map(|(_, t)| *t).sum();
        LatencySummary {
            name: name.to_string(),
            count: samples.len(),
            p50_ms: at(0.50),
            p90_ms: at(0.90),
            p99_ms: at(0.99),
            max_ms: samples.last().map_or(0.0, |(d, _)| ms(*d)),
            mean_total: if samples.is_empty() {
                0.0
            } else {
                totals as f64 / samples.len() as f64
            },
        }
    }
}

/// What [`benchmark`] measured.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchReport {
    /// Opportunities indexed.
    pub documents: usize,
    /// Time to index them all (one `replace_all`), seconds.
    pub index_seconds: f64,
    /// Size of the index directory after indexing, bytes (`None` in memory).
    pub index_bytes: Option<u64>,
    /// All searches.
    pub searches: LatencySummary,
    /// Searches per kind of query.
    pub by_kind: Vec<LatencySummary>,
    /// Single-document upserts (commit and reader reload included).
    pub upserts: LatencySummary,
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "indexed {} opportunities in {:.1} s ({:.0} per second){}",
            self.documents,
            self.index_seconds,
            self.documents as f64 / self.index_seconds.max(1e-9),
            self.index_bytes.map_or(String::new(), |b| format!(
                ", {:.1} MB on disk",
                b as f64 / 1e6
            ))
        )?;
        writeln!(
            f,
            "{:<28} {:>6} {:>9} {:>9} {:>9} {:>9} {:>11}",
            "operation", "count", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean total"
        )?;
        let mut line = |s: &LatencySummary| {
            writeln!(
                f,
                "{:<28} {:>6} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>11.0}",
                s.name, s.count, s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms, s.mean_total
            )
        };
        line(&self.searches)?;
        for kind in &self.by_kind {
            line(kind)?;
        }
        line(&self.upserts)
    }
}

/// Builds a synthetic catalogue, indexes it, and measures searches over a realistic mix of
/// queries and single-document upserts.
pub fn benchmark(config: &BenchConfig) -> Result<BenchReport, SearchError> {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let now = Utc
        .with_ymd_and_hms(2025, 6, 1, 8, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let world = World::new(&mut rng);
    let documents: Vec<OpportunityDocument> = (0..config.documents)
        .map(|_| world.document(&mut rng, now))
        .collect();
    let index = match &config.directory {
        Some(directory) => SearchIndex::open(directory)?,
        None => SearchIndex::in_memory()?,
    };
    let started = Instant::now();
    index.replace_all(&documents, Some("bench"))?;
    let index_seconds = started.elapsed().as_secs_f64();
    let index_bytes = config.directory.as_deref().map(directory_size);

    let kinds = QueryKind::ALL;
    let mut samples: Vec<Vec<(StdDuration, u64)>> = vec![Vec::new(); kinds.len()];
    let mut all = Vec::new();
    for round in 0..(config.queries + 50) {
        let kind = QueryKind::pick(&mut rng);
        let query = world.query(&mut rng, kind, now);
        let started = Instant::now();
        let results = index.search(&query)?;
        let elapsed = started.elapsed();
        if round >= 50 {
            let kind_index = kinds.iter().position(|k| *k == kind).unwrap_or(0);
            samples[kind_index].push((elapsed, results.total));
            all.push((elapsed, results.total));
        }
    }
    let by_kind = kinds
        .iter()
        .zip(samples.iter_mut())
        .map(|(kind, s)| LatencySummary::of(kind.name(), s))
        .collect();

    let mut upserts = Vec::new();
    for _ in 0..config.upserts {
        let Some(original) = documents.choose(&mut rng) else {
            break;
        };
        let mut changed = original.clone();
        changed.titles = vec![(Lang::De, world.german_title(&mut rng))];
        changed.updated_at = now;
        let started = Instant::now();
        index.upsert(&changed)?;
        upserts.push((started.elapsed(), 0));
    }
    Ok(BenchReport {
        documents: config.documents,
        index_seconds,
        index_bytes,
        searches: LatencySummary::of("all searches", &mut all),
        by_kind,
        upserts: LatencySummary::of("single upsert (commit)", &mut upserts),
    })
}

fn directory_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => directory_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QueryKind {
    OneWord,
    TwoWords,
    Typo,
    Typing,
    Filtered,
    Browse,
}

impl QueryKind {
    const ALL: [QueryKind; 6] = [
        QueryKind::OneWord,
        QueryKind::TwoWords,
        QueryKind::Typo,
        QueryKind::Typing,
        QueryKind::Filtered,
        QueryKind::Browse,
    ];

    fn name(self) -> &'static str {
        match self {
            QueryKind::OneWord => "  one word",
            QueryKind::TwoWords => "  two words",
            QueryKind::Typo => "  one word with a typo",
            QueryKind::Typing => "  prefix while typing",
            QueryKind::Filtered => "  word + facet filters",
            QueryKind::Browse => "  browse (empty text)",
        }
    }

    fn pick(rng: &mut StdRng) -> QueryKind {
        match rng.gen_range(0..100) {
            0..=24 => QueryKind::OneWord,
            25..=44 => QueryKind::TwoWords,
            45..=59 => QueryKind::Typo,
            60..=69 => QueryKind::Typing,
            70..=84 => QueryKind::Filtered,
            _ => QueryKind::Browse,
        }
    }
}

/// Topics as (German, English).
const TOPICS: &[(&str, &str)] = &[
    ("Kassensysteme", "cash register systems"),
    ("Gabelstapler", "forklift"),
    ("Gabelstaplerführerschein", "forklift licence"),
    ("Arbeitssicherheit", "occupational safety"),
    ("Lagerlogistik", "warehouse logistics"),
    ("Kundenservice", "customer service"),
    ("Datenschutz", "data protection"),
    ("Brandschutz", "fire safety"),
    ("Erste Hilfe", "first aid"),
    ("Warenwirtschaft", "merchandise management"),
    ("Teamführung", "team leadership"),
    ("Führung", "leadership"),
    ("Konfliktmanagement", "conflict management"),
    ("Zeitmanagement", "time management"),
    ("Excel", "Excel"),
    ("Buchhaltung", "bookkeeping"),
    ("Verkaufsgespräche", "sales conversations"),
    ("Reklamationsmanagement", "complaint handling"),
    ("Lebensmittelhygiene", "food hygiene"),
    ("Projektmanagement", "project management"),
    ("agiles Arbeiten", "agile working"),
    ("Kommunikation", "communication"),
    ("Präsentation", "presentation skills"),
    ("Verhandlungsführung", "negotiation"),
    ("Inventur", "stocktaking"),
    ("Kommissionierung", "order picking"),
    ("Frischetheke", "fresh food counter"),
    ("Filialleitung", "store management"),
    ("Mitarbeitergespräche", "employee reviews"),
    ("Onboarding", "onboarding"),
    ("Informationssicherheit", "information security"),
    ("Phishing", "phishing awareness"),
    ("Compliance", "compliance"),
    ("Geldwäscheprävention", "anti money laundering"),
    ("Ladungssicherung", "load securing"),
    ("Gefahrstoffe", "hazardous substances"),
    ("Kältetechnik", "refrigeration"),
    ("Elektrosicherheit", "electrical safety"),
    ("Qualitätsmanagement", "quality management"),
    ("Prozessoptimierung", "process optimisation"),
    ("Lean Management", "lean management"),
    ("Kundenbindung", "customer loyalty"),
    ("Social Media", "social media"),
    ("Online-Marketing", "online marketing"),
    ("Künstliche Intelligenz", "artificial intelligence"),
    ("Datenanalyse", "data analysis"),
    ("SAP", "SAP"),
    ("Gesundheitsmanagement", "health management"),
    ("Resilienz", "resilience"),
    ("Stressbewältigung", "stress management"),
    ("Moderation", "facilitation"),
    ("Ausbildung der Ausbilder", "train the trainer"),
    ("Schichtplanung", "shift planning"),
    ("Einkauf", "purchasing"),
    ("Preisauszeichnung", "price labelling"),
    ("Warenpräsentation", "visual merchandising"),
    ("Diebstahlprävention", "loss prevention"),
    ("Nachhaltigkeit", "sustainability"),
    ("Energiesparen", "energy saving"),
    ("Barrierefreiheit", "accessibility"),
];

const DE_PATTERNS: &[&str] = &[
    "{} für Einsteiger",
    "{} kompakt",
    "{}: Grundlagen",
    "Auffrischung {}",
    "{} für Führungskräfte",
    "{} in der Praxis",
    "Pflichtschulung {}",
    "{} – Aufbaukurs",
    "Workshop {}",
    "{} im Filialalltag",
    "Einführung in {}",
    "{} für Auszubildende",
    "Unterweisung {}",
    "{} Schritt für Schritt",
];

const EN_PATTERNS: &[&str] = &[
    "{} basics",
    "{} for beginners",
    "Advanced {}",
    "{} refresher",
    "{} in practice",
    "Introduction to {}",
    "{} for managers",
    "{} essentials",
    "Mastering {}",
    "{} safety refresher",
    "{} workshop",
    "{} for apprentices",
];

const DE_SENTENCES: &[&str] = &[
    "In dieser Schulung lernen Sie die wichtigsten Grundlagen zu {}.",
    "Sie erfahren, wie Sie {} sicher im Arbeitsalltag anwenden.",
    "Der Kurs richtet sich an Mitarbeitende in Filiale, Lager und Verwaltung.",
    "Praxisnahe Übungen und kurze Videos vermitteln das Wissen zu {}.",
    "Am Ende erhalten Sie ein Zertifikat, das ein Jahr gültig ist.",
    "Die Teilnahme ist für alle neuen Kolleginnen und Kollegen verpflichtend.",
    "Wir besprechen typische Fehler und wie man sie vermeidet.",
    "Voraussetzung sind erste Erfahrungen mit {}.",
    "Mit Fallbeispielen aus Handel, Logistik und Produktion.",
    "Die Schulungen finden in kleinen Gruppen statt.",
];

const EN_SENTENCES: &[&str] = &[
    "This training covers the essentials of {}.",
    "You will learn how to apply {} safely in your daily work.",
    "Designed for colleagues in stores, warehouses and offices.",
    "Short videos and hands-on exercises explain {} step by step.",
    "Participants receive a certificate valid for one year.",
    "Mandatory for all new employees.",
    "We discuss common mistakes and how to avoid them.",
    "Some prior experience with {} is recommended.",
    "Includes case studies from retail, logistics and manufacturing.",
    "Sessions are held in small groups.",
];

const SKILLS_DE: &[&str] = &[
    "Kundenorientierung",
    "Teamarbeit",
    "Verantwortungsbewusstsein",
    "Sorgfalt",
    "Kommunikationsfähigkeit",
    "Problemlösung",
    "Digitale Kompetenz",
    "Selbstorganisation",
    "Fahrzeugführung",
    "Hygienevorschriften",
];

/// Modalities with weights (percent).
const MODALITIES: &[(&str, u32)] = &[
    ("cmi5", 15),
    ("scorm", 20),
    ("video", 20),
    ("document", 10),
    ("link", 8),
    ("classroom", 15),
    ("program", 4),
    ("mentoring", 3),
    ("on_the_job", 3),
    ("community", 2),
];

/// The fixed parts of the synthetic network.
struct World {
    tenants: Vec<Tenant>,
    competencies: Vec<(Uuid, String)>,
    providers: Vec<String>,
}

struct Tenant {
    id: Uuid,
    units: Vec<String>,
    roles: Vec<String>,
}

fn uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

impl World {
    fn new(rng: &mut StdRng) -> World {
        let tenants = (0..300)
            .map(|_| {
                let id = uuid(rng);
                Tenant {
                    id,
                    units: (0..5).map(|_| format!("unit:{}", uuid(rng))).collect(),
                    roles: (0..4).map(|_| format!("role:{}", uuid(rng))).collect(),
                }
            })
            .collect();
        let competencies = (0..2000)
            .map(|i| {
                let (de, _) = TOPICS[i % TOPICS.len()];
                let skill = SKILLS_DE[(i / TOPICS.len()) % SKILLS_DE.len()];
                (uuid(rng), format!("{skill} {de}"))
            })
            .collect();
        let providers = (0..40)
            .map(|i| {
                let kind = ["Akademie", "Training GmbH", "Learning", "Institut"][i % 4];
                format!("Anbieter {i} {kind}")
            })
            .collect();
        World {
            tenants,
            competencies,
            providers,
        }
    }

    /// Some tenants are much bigger than others.
    fn tenant(&self, rng: &mut StdRng) -> &Tenant {
        let x: f64 = rng.gen();
        let index = ((x * x) * self.tenants.len() as f64) as usize;
        &self.tenants[index.min(self.tenants.len() - 1)]
    }

    fn german_title(&self, rng: &mut StdRng) -> String {
        pick(rng, DE_PATTERNS).replace("{}", pick(rng, TOPICS).0)
    }

    fn description(rng: &mut StdRng, sentences: &[&str], topic: &str) -> String {
        let count = rng.gen_range(2..=5);
        let mut out = Vec::new();
        for _ in 0..count {
            out.push(pick(rng, sentences).replace("{}", topic));
        }
        out.join(" ")
    }

    fn document(&self, rng: &mut StdRng, now: DateTime<Utc>) -> OpportunityDocument {
        let (de_topic, en_topic) = *pick(rng, TOPICS);
        let languages = match rng.gen_range(0..100) {
            0..=54 => vec![Lang::De],
            55..=79 => vec![Lang::En],
            _ => vec![Lang::De, Lang::En],
        };
        let mut titles = Vec::new();
        let mut descriptions = Vec::new();
        for lang in &languages {
            match lang {
                Lang::De => {
                    titles.push((Lang::De, pick(rng, DE_PATTERNS).replace("{}", de_topic)));
                    descriptions.push((Lang::De, Self::description(rng, DE_SENTENCES, de_topic)));
                }
                Lang::En => {
                    let title = pick(rng, EN_PATTERNS).replace("{}", en_topic);
                    let mut chars = title.chars();
                    let title = chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or(title);
                    titles.push((Lang::En, title));
                    descriptions.push((Lang::En, Self::description(rng, EN_SENTENCES, en_topic)));
                }
            }
        }
        let weight_total: u32 = MODALITIES.iter().map(|(_, w)| w).sum();
        let mut roll = rng.gen_range(0..weight_total);
        let mut modality = "link";
        for (name, weight) in MODALITIES {
            if roll < *weight {
                modality = name;
                break;
            }
            roll -= weight;
        }
        let duration = if rng.gen_bool(0.08) {
            None
        } else {
            Some(match modality {
                "video" => rng.gen_range(2..30),
                "link" | "document" => rng.gen_range(5..60),
                "cmi5" | "scorm" => rng.gen_range(10..180),
                "classroom" => rng.gen_range(180..1440),
                "program" => rng.gen_range(600..6000),
                _ => rng.gen_range(30..600),
            })
        };
        let upcoming_sessions = if matches!(modality, "classroom" | "program") {
            let count = rng.gen_range(1..=6);
            let mut sessions: Vec<DateTime<Utc>> = (0..count)
                .map(|_| now + Duration::hours(rng.gen_range(12..(180 * 24))))
                .collect();
            sessions.sort();
            sessions
        } else {
            Vec::new()
        };
        let owner = self.tenant(rng);
        let audience = match rng.gen_range(0..100) {
            0..=34 => vec!["network".to_string()],
            35..=79 => vec![format!("tenant:{}", owner.id)],
            _ => {
                let mut keys = vec![pick(rng, &owner.units).clone()];
                if rng.gen_bool(0.5) {
                    keys.push(pick(rng, &owner.roles).clone());
                }
                keys
            }
        };
        let competency_count = [0, 1, 1, 2, 2, 3, 4][rng.gen_range(0..7)];
        let mut competencies = Vec::new();
        let mut keywords = Vec::new();
        for _ in 0..competency_count {
            let (id, label) = pick(rng, &self.competencies);
            competencies.push(*id);
            keywords.push(label.clone());
        }
        let content_language = match languages.as_slice() {
            [Lang::En] => "en",
            [Lang::De] => "de",
            _ => {
                if rng.gen_bool(0.5) {
                    "de"
                } else {
                    "en"
                }
            }
        };
        OpportunityDocument {
            id: uuid(rng),
            owner_tenant: owner.id,
            titles,
            descriptions,
            keywords,
            modality: modality.to_string(),
            content_language: content_language.to_string(),
            duration_minutes: duration,
            provider: if rng.gen_bool(0.3) {
                Some(pick(rng, &self.providers).clone())
            } else {
                None
            },
            competencies,
            upcoming_sessions,
            audience,
            published: rng.gen_bool(0.93),
            updated_at: now - Duration::minutes(rng.gen_range(0..(730 * 24 * 60))),
        }
    }

    /// A word a user would type: from a topic or a title pattern.
    fn word(rng: &mut StdRng) -> String {
        let (de, en) = *pick(rng, TOPICS);
        let phrase = if rng.gen_bool(0.6) { de } else { en };
        let words: Vec<&str> = phrase
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .collect();
        let word = words.choose(rng).copied().unwrap_or(phrase);
        if rng.gen_bool(0.3) {
            word.to_lowercase()
        } else {
            word.to_string()
        }
    }

    fn typo(rng: &mut StdRng, word: &str) -> String {
        let mut chars: Vec<char> = word.chars().collect();
        if chars.len() < 5 {
            return word.to_string();
        }
        let at = rng.gen_range(1..chars.len() - 1);
        match rng.gen_range(0..4) {
            0 => {
                chars.remove(at);
            }
            1 => chars.insert(at, 'e'),
            2 => chars.swap(at, at + 1),
            _ => chars[at] = 'x',
        }
        chars.into_iter().collect()
    }

    fn query(&self, rng: &mut StdRng, kind: QueryKind, now: DateTime<Utc>) -> SearchQuery {
        let tenant = &self.tenants[rng.gen_range(0..self.tenants.len())];
        let audience = vec![
            "network".to_string(),
            format!("tenant:{}", tenant.id),
            pick(rng, &tenant.units).clone(),
            pick(rng, &tenant.roles).clone(),
        ];
        let language = if rng.gen_bool(0.7) {
            Lang::De
        } else {
            Lang::En
        };
        let text = match kind {
            QueryKind::OneWord | QueryKind::Filtered => format!("{} ", Self::word(rng)),
            QueryKind::TwoWords => {
                let second = if language == Lang::De {
                    *pick(
                        rng,
                        &["Einsteiger", "Grundlagen", "Führungskräfte", "Praxis"],
                    )
                } else {
                    *pick(rng, &["basics", "beginners", "refresher", "managers"])
                };
                if rng.gen_bool(0.5) {
                    format!("{} {second}", Self::word(rng))
                } else {
                    format!("{} {} ", Self::word(rng), Self::word(rng))
                }
            }
            QueryKind::Typo => {
                let word = Self::word(rng);
                format!("{} ", Self::typo(rng, &word))
            }
            QueryKind::Typing => {
                let word = Self::word(rng);
                let length = word.chars().count();
                let cut = rng.gen_range(3.min(length)..=length.min(7));
                word.chars().take(cut).collect()
            }
            QueryKind::Browse => String::new(),
        };
        let mut query = SearchQuery::new(text, language, audience);
        query.now = now;
        if rng.gen_bool(0.1) {
            query.include_unpublished_of = Some(tenant.id);
        }
        let filtered =
            kind == QueryKind::Filtered || (kind == QueryKind::Browse && rng.gen_bool(0.5));
        if filtered {
            for _ in 0..rng.gen_range(1..=2) {
                match rng.gen_range(0..5) {
                    0 => {
                        query
                            .filters
                            .modalities
                            .insert(pick(rng, MODALITIES).0.to_string());
                    }
                    1 => {
                        query.filters.languages.insert("de".to_string());
                    }
                    2 => {
                        query
                            .filters
                            .durations
                            .insert(*pick(rng, &DurationBucket::ALL));
                    }
                    3 => {
                        query.filters.sessions = Some(SessionRange {
                            from: None,
                            to: Some(now + Duration::days(30)),
                        });
                    }
                    _ => {
                        query.filters.providers.insert(Provider::Internal);
                    }
                }
            }
        }
        if kind == QueryKind::Browse {
            query.sort = *pick(
                rng,
                &[
                    SortOrder::Relevance,
                    SortOrder::Newest,
                    SortOrder::SoonestSession,
                ],
            );
        }
        query
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn small_benchmark_runs_and_finds_things() {
        let report = benchmark(&BenchConfig {
            documents: 2_000,
            queries: 200,
            upserts: 3,
            seed: 7,
            directory: None,
        })
        .unwrap();
        assert_eq!(report.documents, 2_000);
        assert_eq!(report.searches.count, 200);
        assert_eq!(report.upserts.count, 3);
        assert_eq!(report.by_kind.iter().map(|k| k.count).sum::<usize>(), 200);
        // The generated queries hit documents.
        let one_word = &report.by_kind[0];
        assert!(one_word.mean_total > 1.0, "{report}");
        let text = report.to_string();
        assert!(text.contains("all searches"), "{text}");
    }

    #[test]
    fn typos_change_a_word() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..50 {
            let typo = World::typo(&mut rng, "Gabelstapler");
            assert_ne!(typo, "Gabelstapler");
        }
    }
}
