#![allow(clippy::unwrap_used, clippy::expect_used)]
//! ESCO zips built in memory: what is read, what is merged, and how malformed files are reported.

use mycel_competency::framework::{CompetencyKind, RelationKind, RequirementKind};
use mycel_framework_import::{read_esco, ImportErrors, NamedZip};
use std::io::{Cursor, Write};

fn zip(files: &[(&str, &str)]) -> Cursor<Vec<u8>> {
    zip_bytes(
        &files
            .iter()
            .map(|(n, c)| (*n, c.as_bytes().to_vec()))
            .collect::<Vec<_>>(),
    )
}

fn zip_bytes(files: &[(&str, Vec<u8>)]) -> Cursor<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    let mut cursor = writer.finish().unwrap();
    cursor.set_position(0);
    cursor
}

const SKILLS: &str = "\u{feff}conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,definition,inScheme,description
KnowledgeSkillCompetence,http://e/skill/a,skill/competence,transversal,show initiative,\"take the initiative
show initiative
be a driving force\",,released,,,,,\"Be proactive.\"
KnowledgeSkillCompetence,http://e/skill/b,knowledge,sector-specific,Haskell,,,released,,,The definition,,
KnowledgeSkillCompetence,http://e/skill/old,knowledge,sector-specific,Old,,,obsolete,,,,,
";

const GROUPS: &str = "conceptType,conceptUri,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,inScheme,description,code
SkillGroup,http://e/skill/g,proactive approach,,,released,,,,,T2.1
";

const OCCUPATIONS: &str = "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description,code
Occupation,http://e/occupation/o,2654,technical director,\"head of technical
technical manager\",,released,,,,,,Directs.,2654.1.7
";

const BROADER: &str = "conceptType,conceptUri,broaderType,broaderUri
KnowledgeSkillCompetence,http://e/skill/a,SkillGroup,http://e/skill/g
KnowledgeSkillCompetence,http://e/skill/b,SkillGroup,http://e/skill/unknown
KnowledgeSkillCompetence,http://e/skill/old,SkillGroup,http://e/skill/g
";

const SKILL_SKILL: &str =
    "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri
http://e/skill/a,skill/competence,essential,knowledge,http://e/skill/b
http://e/skill/b,knowledge,optional,skill/competence,http://e/skill/a
";

const REQUIREMENTS: &str = "occupationUri,relationType,skillType,skillUri
http://e/occupation/o,essential,skill/competence,http://e/skill/a
http://e/occupation/o,optional,knowledge,http://e/skill/b
http://e/occupation/gone,optional,knowledge,http://e/skill/b
";

fn classification() -> Cursor<Vec<u8>> {
    zip(&[
        ("skills_en.csv", SKILLS),
        ("skillGroups_en.csv", GROUPS),
        ("occupations_en.csv", OCCUPATIONS),
    ])
}

fn relations() -> Cursor<Vec<u8>> {
    zip(&[
        ("broaderRelationsSkillPillar.csv", BROADER),
        ("skillSkillRelations.csv", SKILL_SKILL),
        ("occupationSkillRelations.csv", REQUIREMENTS),
    ])
}

fn german() -> Cursor<Vec<u8>> {
    zip(&[
        (
            "occupations_de.csv",
            "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description,code,naceCode
Occupation,http://e/occupation/o,2654,Technischer Leiter/Technische Leiterin,\"Inspizient
Inspizientin\",,released,,,,,,Leitet.,2654.1.7,
Occupation,http://e/occupation/new,2654,Neu,,,released,,,,,,,2654.1.8,
",
        ),
        (
            "skillGroups_de.csv",
            "conceptType,conceptUri,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,inScheme,description,code
SkillGroup,http://e/skill/g,Verfolgen eines proaktiven Ansatzes,,,released,,,,,T2.1
",
        ),
        (
            "transversalSkillsCollection_de.csv",
            "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,status,altLabels,description,broaderConceptUri,broaderConceptPT
KnowledgeSkillCompetence,http://e/skill/a,skill/competence,transversal,Initiative zeigen,released,Initiative ergreifen | Eigeninitiative zeigen,\"Proaktiv sein.
\t\",http://e/skill/g,Verfolgen eines proaktiven Ansatzes
KnowledgeSkillCompetence,http://e/skill/new,skill/competence,transversal,Neu,released,,,,
",
        ),
        (
            "skillsHierarchy_de.csv",
            "Level 0 URI,Level 0 preferred term,Level 1 URI,Level 1 preferred term,Description
http://e/skill/g,Nicht überschrieben
http://e/skill/b,Haskell aus der Hierarchie,,,
",
        ),
    ])
}

fn named<R>(name: &str, reader: R) -> NamedZip<R> {
    NamedZip::new(name, reader)
}

#[test]
fn reads_concepts_relations_and_occupations() {
    let (framework, summary) = read_esco(
        named("esco-v1.1.1-classification-en-csv.zip", classification()),
        named("esco-v1.1.1-relations-csv.zip", relations()),
        vec![named("esco-v1.2.1-classification-de-csv.zip", german())],
        None,
    )
    .unwrap();
    assert_eq!(framework.version, "v1.1.1");
    let uris: Vec<&str> = framework
        .competencies
        .iter()
        .map(|c| c.uri.as_str())
        .collect();
    assert_eq!(
        uris,
        ["http://e/skill/a", "http://e/skill/b", "http://e/skill/g"]
    );
    assert_eq!(summary.not_released, 1);

    let a = &framework.competencies[0];
    assert_eq!(a.kind, CompetencyKind::Skill);
    assert_eq!(a.category.as_deref(), Some("transversal"));
    assert_eq!(a.labels["en"].preferred, "show initiative");
    // One per line; the preferred label itself is not repeated as an alternative.
    assert_eq!(
        a.labels["en"].alternatives,
        ["take the initiative", "be a driving force"]
    );
    assert_eq!(a.labels["en"].description.as_deref(), Some("Be proactive."));
    let b = &framework.competencies[1];
    assert_eq!(b.kind, CompetencyKind::Knowledge);
    assert_eq!(
        b.labels["en"].description.as_deref(),
        Some("The definition")
    );
    let g = &framework.competencies[2];
    assert_eq!(
        (g.kind, g.code.as_deref()),
        (CompetencyKind::Group, Some("T2.1"))
    );

    let relations: Vec<(&str, RelationKind, &str)> = framework
        .relations
        .iter()
        .map(|r| (r.from.as_str(), r.kind, r.to.as_str()))
        .collect();
    assert_eq!(
        relations,
        [
            (
                "http://e/skill/a",
                RelationKind::Broader,
                "http://e/skill/g"
            ),
            (
                "http://e/skill/a",
                RelationKind::Essential,
                "http://e/skill/b"
            ),
            (
                "http://e/skill/b",
                RelationKind::Optional,
                "http://e/skill/a"
            ),
        ]
    );
    assert_eq!(summary.dropped_broader, 2);
    assert_eq!(summary.dropped_requirements, 1);

    let [o] = framework.occupations.as_slice() else {
        panic!("{:?}", framework.occupations)
    };
    assert_eq!(o.code.as_deref(), Some("2654.1.7"));
    assert_eq!(o.isco_group.as_deref(), Some("2654"));
    assert_eq!(
        o.labels["en"].alternatives,
        ["head of technical", "technical manager"]
    );
    let requirements: Vec<(&str, RequirementKind)> = o
        .requirements
        .iter()
        .map(|r| (r.competency_uri.as_str(), r.kind))
        .collect();
    assert_eq!(
        requirements,
        [
            ("http://e/skill/a", RequirementKind::Required),
            ("http://e/skill/b", RequirementKind::Desired)
        ]
    );

    // German: merged by URI, never creating items; the first source wins.
    assert_eq!(
        o.labels["de"].preferred,
        "Technischer Leiter/Technische Leiterin"
    );
    assert_eq!(o.labels["de"].alternatives, ["Inspizient", "Inspizientin"]);
    let de = &a.labels["de"];
    assert_eq!(de.preferred, "Initiative zeigen");
    assert_eq!(
        de.alternatives,
        ["Initiative ergreifen", "Eigeninitiative zeigen"]
    );
    assert_eq!(de.description.as_deref(), Some("Proaktiv sein."));
    assert_eq!(
        g.labels["de"].preferred,
        "Verfolgen eines proaktiven Ansatzes"
    );
    assert_eq!(b.labels["de"].preferred, "Haskell aus der Hierarchie");
    let [t] = summary.translations.as_slice() else {
        panic!()
    };
    assert_eq!(
        (t.skills, t.skill_groups, t.occupations, t.unknown),
        (2, 1, 1, 2)
    );
    assert_eq!(t.version.as_deref(), Some("v1.2.1"));
}

#[test]
fn version_from_the_caller_or_the_name() {
    let no_version = read_esco(
        named("classification.zip", classification()),
        named("relations.zip", relations()),
        Vec::<NamedZip<Cursor<Vec<u8>>>>::new(),
        None,
    )
    .unwrap_err();
    assert_eq!(no_version.errors.len(), 1);
    assert!(
        no_version.errors[0].message.contains("version"),
        "{no_version}"
    );
    let (framework, _) = read_esco(
        named("classification.zip", classification()),
        named("relations.zip", relations()),
        Vec::<NamedZip<Cursor<Vec<u8>>>>::new(),
        Some("v1.2.0"),
    )
    .unwrap();
    assert_eq!(framework.version, "v1.2.0");
    assert_eq!(
        mycel_framework_import::esco::version_from_name("/x/esco-v1.1.1-classification-en-csv.zip")
            .as_deref(),
        Some("v1.1.1")
    );
    assert_eq!(
        mycel_framework_import::esco::version_from_name(
            "ESCO dataset - v1.2.0 - classification.zip"
        )
        .as_deref(),
        Some("v1.2.0")
    );
    assert_eq!(
        mycel_framework_import::esco::version_from_name("skills_en.zip"),
        None
    );
}

fn errors(classification: Cursor<Vec<u8>>, relations: Cursor<Vec<u8>>) -> ImportErrors {
    read_esco(
        named("c-v1.zip", classification),
        named("r.zip", relations),
        Vec::<NamedZip<Cursor<Vec<u8>>>>::new(),
        None,
    )
    .unwrap_err()
}

#[test]
fn every_malformed_row_is_reported_with_file_line_and_column() {
    let mut skills = SKILLS.as_bytes().to_vec();
    // The first record spans lines 2-4, so the rows added start on line 7: an unknown skillType, a
    // row too short, invalid UTF-8 in the label, a repeated URI.
    skills.extend_from_slice(
        b"KnowledgeSkillCompetence,http://e/skill/c,attitude,,c,,,released,,,,,\n",
    );
    skills.extend_from_slice(b"KnowledgeSkillCompetence,http://e/skill/d\n");
    skills.extend_from_slice(
        b"KnowledgeSkillCompetence,http://e/skill/e,knowledge,,bad \xff,,,released,,,,,\n",
    );
    skills.extend_from_slice(
        b"KnowledgeSkillCompetence,http://e/skill/a,knowledge,,again,,,released,,,,,\n",
    );
    let classification = zip_bytes(&[
        ("skills_en.csv", skills),
        (
            "skillGroups_en.csv",
            GROUPS.replace("preferredLabel", "label").into_bytes(),
        ),
        ("occupations_en.csv", OCCUPATIONS.as_bytes().to_vec()),
    ]);
    let relations = zip(&[
        ("broaderRelationsSkillPillar.csv", BROADER),
        (
            "skillSkillRelations.csv",
            "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri
http://e/skill/a,skill/competence,sometimes,knowledge,http://e/skill/b
",
        ),
    ]);
    let e = errors(classification, relations);
    let lines: Vec<String> = e.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "c-v1.zip/skills_en.csv:7:3 (skillType): unknown skillType `attitude`; expected `skill/competence` or `knowledge`",
            "c-v1.zip/skills_en.csv:8: the row has 2 fields, the header has 13",
            "c-v1.zip/skills_en.csv:9:5 (preferredLabel): the field is not valid UTF-8",
            "c-v1.zip/skills_en.csv:10:2 (conceptUri): `http://e/skill/a` appears twice",
            "c-v1.zip/skillGroups_en.csv:1: the required column `preferredLabel` is missing",
            "r.zip/skillSkillRelations.csv:2: unknown relationType `sometimes`; expected `essential` or `optional`",
            "r.zip: `occupationSkillRelations.csv` is missing from the zip",
        ],
        "{e}"
    );
    assert_eq!(e.more, 0);
}

#[test]
fn many_errors_are_listed_up_to_a_limit_and_counted() {
    let mut skills = SKILLS.to_owned();
    for i in 0..150 {
        skills.push_str(&format!(
            "KnowledgeSkillCompetence,http://e/skill/x{i},attitude,,x,,,released,,,,,\n"
        ));
    }
    let classification = zip(&[
        ("skills_en.csv", &skills),
        ("skillGroups_en.csv", GROUPS),
        ("occupations_en.csv", OCCUPATIONS),
    ]);
    let e = errors(classification, relations());
    assert_eq!(e.errors.len(), 100);
    assert_eq!(e.more, 50);
    assert_eq!(e.total(), 150);
    assert!(e.to_string().ends_with("... and 50 more errors"));
    assert_eq!(e.errors[0].line, Some(7));
    assert_eq!(e.errors[99].line, Some(106));
}

#[test]
fn not_a_zip_and_no_language() {
    let e = errors(
        Cursor::new(b"not a zip".to_vec()),
        zip(&[("readme.txt", "x")]),
    );
    let lines: Vec<String> = e.errors.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 4, "{e}");
    assert!(
        lines[0].starts_with("c-v1.zip: not a readable zip file"),
        "{e}"
    );
    assert_eq!(
        lines[1],
        "r.zip: `broaderRelationsSkillPillar.csv` is missing from the zip"
    );

    let e = errors(zip(&[("notes.csv", "a,b\n")]), relations());
    assert_eq!(
        e.to_string(),
        "c-v1.zip: cannot tell the language: no file named like `skills_<language>.csv` (is this an ESCO CSV zip?)"
    );
}
