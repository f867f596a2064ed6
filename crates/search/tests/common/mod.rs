//! A small hand-made catalogue of two tenants, with every facet count worked out by hand in
//! `search.rs`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use mycel_search::{Lang, OpportunityDocument, SearchIndex, SearchQuery};
use uuid::Uuid;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap()
}

pub fn day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

pub const TENANT_A: Uuid = Uuid::from_u128(0xA);
pub const TENANT_B: Uuid = Uuid::from_u128(0xB);
pub const C1: Uuid = Uuid::from_u128(0xC1);
pub const C2: Uuid = Uuid::from_u128(0xC2);
pub const C3: Uuid = Uuid::from_u128(0xC3);

pub const FORK: Uuid = Uuid::from_u128(1);
pub const CASH: Uuid = Uuid::from_u128(2);
pub const LEAD: Uuid = Uuid::from_u128(3);
pub const TRAIN: Uuid = Uuid::from_u128(4);
pub const DRAFT: Uuid = Uuid::from_u128(5);
pub const SCRIPT: Uuid = Uuid::from_u128(6);
pub const LOGISTICS: Uuid = Uuid::from_u128(7);

pub fn tenant_audience(tenant: Uuid) -> String {
    format!("tenant:{tenant}")
}

/// What a plain member of a tenant holds.
pub fn viewer(tenant: Uuid) -> Vec<String> {
    vec!["network".to_string(), tenant_audience(tenant)]
}

fn s(text: &str) -> String {
    text.to_string()
}

#[allow(clippy::too_many_arguments)]
fn doc(
    id: Uuid,
    owner: Uuid,
    titles: &[(Lang, &str)],
    descriptions: &[(Lang, &str)],
    modality: &str,
    language: &str,
    duration: Option<u32>,
    provider: Option<&str>,
    competencies: &[Uuid],
    sessions: &[DateTime<Utc>],
    audience: &[String],
    published: bool,
    updated_at: DateTime<Utc>,
) -> OpportunityDocument {
    OpportunityDocument {
        id,
        owner_tenant: owner,
        titles: titles.iter().map(|(l, t)| (*l, s(t))).collect(),
        descriptions: descriptions.iter().map(|(l, t)| (*l, s(t))).collect(),
        keywords: Vec::new(),
        modality: s(modality),
        content_language: s(language),
        duration_minutes: duration,
        provider: provider.map(s),
        competencies: competencies.to_vec(),
        upcoming_sessions: sessions.to_vec(),
        audience: audience.to_vec(),
        published,
        updated_at,
    }
}

pub fn catalogue() -> Vec<OpportunityDocument> {
    let now = now();
    let network = vec![s("network")];
    vec![
        doc(
            FORK,
            TENANT_A,
            &[
                (Lang::De, "Gabelstapler Sicherheitsunterweisung"),
                (Lang::En, "Forklift safety refresher"),
            ],
            &[(
                Lang::De,
                "Pflichtunterweisung für alle Fahrerinnen und Fahrer von Flurförderzeugen im Lager.",
            )],
            "classroom",
            "de",
            Some(240),
            None,
            &[C1],
            &[now + Duration::days(3), now + Duration::days(40)],
            &network,
            true,
            day(2025, 5, 1),
        ),
        doc(
            CASH,
            TENANT_A,
            &[(Lang::De, "Kassensysteme für Einsteiger")],
            &[(
                Lang::De,
                "Eine Schulung zu den Grundlagen der Kassensysteme: Bonieren, Storno, Kassenabschluss.",
            )],
            "cmi5",
            "de",
            Some(30),
            Some("Lernwerk GmbH"),
            &[C2],
            // A session in the past: ignored by facets, filters and sorting.
            &[now - Duration::days(2)],
            &[tenant_audience(TENANT_A)],
            true,
            day(2025, 5, 20),
        ),
        doc(
            LEAD,
            TENANT_B,
            &[(Lang::De, "Führung im Wandel")],
            &[(
                Lang::De,
                "Schulungen für neue Führungskräfte: Gespräche führen, Feedback geben.",
            )],
            "video",
            "de",
            Some(12),
            None,
            &[C3, C1],
            &[],
            &network,
            true,
            day(2025, 4, 1),
        ),
        doc(
            TRAIN,
            TENANT_B,
            &[(Lang::En, "Customer service training")],
            &[(
                Lang::En,
                "A training on complaints and difficult customers.",
            )],
            "scorm",
            "en",
            Some(90),
            Some("SkillCo"),
            &[C3],
            &[],
            &[tenant_audience(TENANT_B)],
            true,
            day(2025, 5, 25),
        ),
        doc(
            DRAFT,
            TENANT_A,
            &[(Lang::De, "Lagerlogistik Grundlagen")],
            &[(Lang::De, "Wareneingang, Kommissionierung und Inventur.")],
            "classroom",
            "de",
            Some(960),
            None,
            &[C2],
            &[now + Duration::days(10)],
            &network,
            false,
            day(2025, 5, 30),
        ),
        doc(
            SCRIPT,
            TENANT_B,
            &[(Lang::En, "Secure coding <script>alert(1)</script> & XSS")],
            &[(Lang::En, "Why you escape <b>user</b> input in every script.")],
            "link",
            "en",
            None,
            None,
            &[],
            &[],
            &network,
            true,
            day(2025, 3, 1),
        ),
        doc(
            LOGISTICS,
            TENANT_A,
            &[(Lang::De, "Lagerlogistik für Fortgeschrittene")],
            &[(Lang::De, "Kommissionierung und Lagerplatzverwaltung.")],
            "classroom",
            "de",
            Some(480),
            Some("SkillCo"),
            &[C2],
            &[now + Duration::days(20), now + Duration::days(100)],
            &network,
            true,
            day(2025, 2, 1),
        ),
    ]
}

pub fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.replace_all(catalogue(), None).unwrap();
    index
}

pub fn query(text: &str, tenant: Uuid) -> SearchQuery {
    let mut query = SearchQuery::new(text, Lang::De, viewer(tenant));
    query.now = now();
    query
}

pub fn ids(index: &SearchIndex, query: &SearchQuery) -> Vec<Uuid> {
    index
        .search(query)
        .unwrap()
        .hits
        .iter()
        .map(|hit| hit.id)
        .collect()
}
