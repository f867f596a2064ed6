#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The real ESCO v1.1.1 export (English classification and relations) with German labels from
//! the partial v1.2.1 export, read from `shared/data/esco` beside the checkout.

use mycel_competency::framework::{
    CompetencyKind, FrameworkImport, FrameworkKind, RelationKind, RequirementKind,
};
use mycel_framework_import::{read_esco_files, EscoSummary};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

fn data(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/esco")
        .join(name);
    assert!(
        path.exists(),
        "test data missing: {} (the shared data directory must sit beside the checkout)",
        path.display()
    );
    path
}

fn esco() -> &'static (FrameworkImport, EscoSummary) {
    static ESCO: OnceLock<(FrameworkImport, EscoSummary)> = OnceLock::new();
    ESCO.get_or_init(|| {
        let started = Instant::now();
        let result = read_esco_files(
            &data("esco-v1.1.1-classification-en-csv.zip"),
            &data("esco-v1.1.1-relations-csv.zip"),
            &[data("esco-v1.2.1-classification-de-partial-csv.zip")],
            None,
        );
        println!("ESCO read in {:?}", started.elapsed());
        match result {
            Ok(esco) => esco,
            Err(e) => panic!("ESCO import failed:\n{e}"),
        }
    })
}

fn competency(uri: &str) -> &'static mycel_competency::framework::ImportedCompetency {
    esco().0.competencies.iter().find(|c| c.uri == uri).unwrap()
}

#[test]
fn framework_identity_and_version_from_the_file_name() {
    let (framework, summary) = esco();
    assert_eq!(framework.kind, FrameworkKind::Esco);
    assert_eq!(framework.uri, "http://data.europa.eu/esco");
    assert_eq!(framework.version, "v1.1.1");
    assert_eq!(framework.title["en"].preferred, "ESCO");
    assert_eq!(framework.title["de"].preferred, "ESCO");
    assert_eq!(summary.language, "en");
    println!("{summary:#?}");
}

#[test]
fn every_skill_and_knowledge_concept_and_skill_group() {
    let (framework, summary) = esco();
    let count = |kind| {
        framework
            .competencies
            .iter()
            .filter(|c| c.kind == kind)
            .count()
    };
    assert_eq!(
        count(CompetencyKind::Skill) + count(CompetencyKind::Knowledge),
        13_896
    );
    // 10,831 skill/competence + the 6 of empty skillType (DigComp headings), 3,059 knowledge.
    assert_eq!(count(CompetencyKind::Skill), 10_837);
    assert_eq!(count(CompetencyKind::Knowledge), 3_059);
    assert_eq!(summary.without_skill_type, 6);
    assert_eq!(count(CompetencyKind::Group), 640);
    assert_eq!(summary.skill_groups, 640);
    assert_eq!(framework.competencies.len(), 13_896 + 640);
    assert_eq!(summary.not_released, 0);
    assert!(framework
        .competencies
        .iter()
        .all(|c| c.labels.contains_key("en")));

    let initiative =
        competency("http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f");
    assert_eq!(initiative.kind, CompetencyKind::Skill);
    assert_eq!(initiative.category.as_deref(), Some("transversal"));
    let en = &initiative.labels["en"];
    assert_eq!(en.preferred, "show initiative");
    assert!(
        en.alternatives.iter().any(|a| a == "take the initiative"),
        "{:?}",
        en.alternatives
    );
    assert!(en
        .description
        .as_deref()
        .unwrap()
        .starts_with("Be proactive"));

    // A skill group with a hierarchy code.
    let group = framework
        .competencies
        .iter()
        .find(|c| c.kind == CompetencyKind::Group && c.code.as_deref() == Some("S1"))
        .unwrap();
    assert_eq!(
        group.labels["en"].preferred,
        "communication, collaboration and creativity"
    );
}

#[test]
fn hierarchy_and_skill_relations() {
    let (framework, summary) = esco();
    let count = |kind| {
        framework
            .relations
            .iter()
            .filter(|r| r.kind == kind)
            .count()
    };
    // 20,656 rows, 7 naming skill groups that are not in skillGroups_en.csv.
    assert_eq!(count(RelationKind::Broader), 20_649);
    assert_eq!(summary.dropped_broader, 7);
    assert_eq!(count(RelationKind::Essential), 191);
    // 5,708 rows, one of them a skill (c7708533-…) optional for itself.
    assert_eq!(count(RelationKind::Optional), 5_707);
    assert_eq!(summary.dropped_skill_relations, 1);
    assert_eq!(summary.skill_relations, 5_898);
    assert_eq!(framework.relations.len(), 20_649 + 5_898);
    assert!(framework.relations.iter().all(|r| r.from != r.to));
    // "show initiative" sits under "taking a proactive approach".
    assert!(framework.relations.iter().any(|r| {
        r.from == "http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f"
            && r.kind == RelationKind::Broader
            && r.to == "http://data.europa.eu/esco/skill/91860993-1a8b-4473-91f3-600aa1924bd0"
    }));
    assert!(summary.warnings.iter().any(|w| w
        .starts_with("broaderRelationsSkillPillar.csv: 7 broader relations dropped: 7 name URIs")));
}

#[test]
fn occupations_and_their_requirements() {
    let (framework, summary) = esco();
    assert_eq!(framework.occupations.len(), 3_007);
    let requirements: usize = framework
        .occupations
        .iter()
        .map(|o| o.requirements.len())
        .sum();
    // The file has 123,855 rows; 67 of them belong to an occupation (a9e54177-…) that is not in
    // occupations_en.csv and are dropped.
    assert_eq!(requirements + summary.dropped_requirements, 123_855);
    assert_eq!(requirements, 123_788);
    assert_eq!(summary.requirements, 123_788);
    assert_eq!(summary.dropped_requirements, 67);
    let kinds = |kind| {
        framework
            .occupations
            .iter()
            .flat_map(|o| &o.requirements)
            .filter(|r| r.kind == kind)
            .count()
    };
    assert_eq!(
        kinds(RequirementKind::Required) + kinds(RequirementKind::Desired),
        123_788
    );

    let director = framework
        .occupations
        .iter()
        .find(|o| {
            o.uri == "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
        })
        .unwrap();
    assert_eq!(director.labels["en"].preferred, "technical director");
    assert_eq!(director.isco_group.as_deref(), Some("2654"));
    assert_eq!(director.code.as_deref(), Some("2654.1.7"));
    assert!(director.requirements.iter().any(|r| r.competency_uri
        == "http://data.europa.eu/esco/skill/fed5b267-73fa-461d-9f69-827c78beb39d"
        && r.kind == RequirementKind::Required));
    // Every requirement names an imported competency.
    let uris: std::collections::HashSet<&str> = framework
        .competencies
        .iter()
        .map(|c| c.uri.as_str())
        .collect();
    assert!(framework
        .occupations
        .iter()
        .flat_map(|o| &o.requirements)
        .all(|r| uris.contains(r.competency_uri.as_str())));
}

#[test]
fn german_labels_merged_from_the_partial_export() {
    let (framework, summary) = esco();
    let initiative =
        competency("http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f");
    let de = &initiative.labels["de"];
    assert_eq!(de.preferred, "Initiative zeigen");
    assert!(de
        .description
        .as_deref()
        .unwrap()
        .starts_with("Proaktiv sein"));
    assert!(!de.description.as_deref().unwrap().ends_with(['\n', '\t']));

    let director = framework
        .occupations
        .iter()
        .find(|o| {
            o.uri == "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
        })
        .unwrap();
    assert_eq!(
        director.labels["de"].preferred,
        "Technischer Leiter für Bühne, Film und Fernsehen/Technische Leiterin für Bühne, Film und Fernsehen"
    );
    assert!(director.labels["de"]
        .alternatives
        .iter()
        .any(|a| a == "Inspizientin"));

    // The counts the CLI prints.
    let [german] = summary.translations.as_slice() else {
        panic!("one translation expected: {:?}", summary.translations);
    };
    assert_eq!(german.language, "de");
    assert_eq!(german.version.as_deref(), Some("v1.2.1"));
    assert_eq!(german.skill_groups, 640);
    assert_eq!(german.skills, 2_235);
    assert_eq!(german.occupations, 3_004);
    let with_german = |kind: Option<CompetencyKind>| {
        framework
            .competencies
            .iter()
            .filter(|c| kind.is_none_or(|k| c.kind == k) && c.labels.contains_key("de"))
            .count()
    };
    assert_eq!(with_german(Some(CompetencyKind::Group)), 640);
    assert_eq!(with_german(None), 640 + 2_235);
    assert_eq!(
        framework
            .occupations
            .iter()
            .filter(|o| o.labels.contains_key("de"))
            .count(),
        3_004
    );
    // Nothing is created from the German zip, whose version is newer.
    assert_eq!(framework.competencies.len(), 14_536);
    assert!(german.unknown > 0);
}
