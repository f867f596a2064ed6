//! A small framework for tests of the competency pages and API: an ESCO-like network framework with
//! a skill group, three skills (one with a German label, one only in English), and an occupation
//! needing two of them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use mycel_competency::framework::{Label, Labels};
use mycel_competency::*;
use mycel_organisation::CompetencyId;
use mycel_store::competencies::CompetencySearch;
use mycel_store::{Store, TenantScope};

pub const GROUP: &str = "http://data.europa.eu/esco/skill/test-group-retail";
pub const SHELVES: &str = "http://data.europa.eu/esco/skill/test-stock-shelves";
pub const TILL: &str = "http://data.europa.eu/esco/skill/test-operate-till";
pub const FORKLIFT: &str = "http://data.europa.eu/esco/skill/test-forklift";
pub const SHOP_ASSISTANT: &str = "http://data.europa.eu/esco/occupation/test-shop-assistant";

fn labels(en: &str, de: Option<&str>) -> Labels {
    let mut labels = Labels::new();
    labels.insert(
        "en".into(),
        Label {
            preferred: en.into(),
            alternatives: vec![],
            description: Some(format!("Description of {en}.")),
        },
    );
    if let Some(de) = de {
        labels.insert(
            "de".into(),
            Label {
                preferred: de.into(),
                alternatives: vec![],
                description: Some(format!("Beschreibung: {de}.")),
            },
        );
    }
    labels
}

fn skill(uri: &str, en: &str, de: Option<&str>) -> ImportedCompetency {
    ImportedCompetency {
        uri: uri.into(),
        code: None,
        kind: CompetencyKind::Skill,
        category: Some("sector-specific".into()),
        labels: labels(en, de),
    }
}

/// The framework as an import.
pub fn esco_like() -> FrameworkImport {
    let broader = |from: &str| ImportedRelation {
        from: from.into(),
        kind: RelationKind::Broader,
        to: GROUP.into(),
    };
    FrameworkImport {
        kind: FrameworkKind::Esco,
        uri: "http://data.europa.eu/esco".into(),
        title: labels("ESCO", Some("ESCO")),
        version: "test".into(),
        competencies: vec![
            ImportedCompetency {
                kind: CompetencyKind::Group,
                ..skill(GROUP, "retail skills", Some("Fähigkeiten im Einzelhandel"))
            },
            skill(SHELVES, "stock shelves", Some("Regale auffüllen")),
            skill(
                TILL,
                "operate cash register",
                Some("Registrierkasse bedienen"),
            ),
            skill(FORKLIFT, "operate forklift", None),
        ],
        relations: vec![
            broader(SHELVES),
            broader(TILL),
            broader(FORKLIFT),
            ImportedRelation {
                from: TILL.into(),
                kind: RelationKind::Essential,
                to: SHELVES.into(),
            },
        ],
        occupations: vec![ImportedOccupation {
            uri: SHOP_ASSISTANT.into(),
            code: Some("5223.1".into()),
            isco_group: Some("5223".into()),
            labels: labels("shop assistant", Some("Verkäufer/Verkäuferin")),
            requirements: vec![
                OccupationRequirement {
                    competency_uri: TILL.into(),
                    kind: RequirementKind::Required,
                },
                OccupationRequirement {
                    competency_uri: SHELVES.into(),
                    kind: RequirementKind::Desired,
                },
            ],
        }],
    }
}

/// Imports the framework for the whole network.
pub async fn import(store: &dyn Store) {
    store
        .import_framework(None, &esco_like(), &|_| {})
        .await
        .unwrap();
}

/// The id of a competency of the fixture, by URI, as seen by a tenant.
pub async fn competency_id(store: &dyn Store, scope: TenantScope, uri: &str) -> CompetencyId {
    let all = store
        .search_competencies(
            scope,
            &CompetencySearch {
                text: None,
                framework_id: None,
                broader: None,
                include_obsolete: true,
                limit: 200,
            },
        )
        .await
        .unwrap();
    if let Some(found) = all.iter().find(|c| c.uri == uri) {
        return found.id;
    }
    let group = all
        .iter()
        .find(|c| c.uri == GROUP)
        .expect("fixture imported");
    store
        .search_competencies(
            scope,
            &CompetencySearch {
                broader: Some(group.id),
                limit: 200,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.uri == uri)
        .expect("a competency of the fixture")
        .id
}
