#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A tenant's own framework as CSV: valid files in both delimiters, every kind of error with its
//! line and column, and arbitrary input.

use mycel_competency::framework::{CompetencyKind, FrameworkKind, ImportedRelation, RelationKind};
use mycel_framework_import::{read_competency_csv, ImportErrors};
use proptest::prelude::*;

const COMMA: &str = "code,parent_code,kind,label_de,label_en,description_de,alternatives_de,prerequisite_codes,exact_match,broader_match,related_match
kasse,,group,Kasse,Till,,,,,,
kasse-01,kasse,skill,Kasse öffnen,Open the till,\"Wechselgeld zählen, Kasse starten\",Kasse hochfahren|Kasse starten | ,,,,
kasse-02,kasse,,Kassenabschluss,,,,kasse-01,http://data.europa.eu/esco/skill/a|http://data.europa.eu/esco/skill/b,http://data.europa.eu/esco/skill/g,https://example.org/x
";

fn relation(from: &str, kind: RelationKind, to: &str) -> ImportedRelation {
    ImportedRelation {
        from: from.to_owned(),
        kind,
        to: to.to_owned(),
    }
}

#[test]
fn a_valid_comma_separated_file() {
    let framework = read_competency_csv(
        COMMA.as_bytes(),
        "kasse.csv",
        "kasse-modell",
        "Kassenmodell",
    )
    .unwrap();
    assert_eq!(framework.kind, FrameworkKind::Own);
    assert_eq!(framework.uri, "kasse-modell");
    assert_eq!(framework.title["de"].preferred, "Kassenmodell");
    assert_eq!(framework.title["en"].preferred, "Kassenmodell");
    assert!(framework.version.starts_with("csv-"));
    assert_eq!(framework.occupations, []);

    let [group, open, close] = framework.competencies.as_slice() else {
        panic!("{:?}", framework.competencies)
    };
    assert_eq!(
        (group.uri.as_str(), group.kind),
        ("kasse", CompetencyKind::Group)
    );
    assert_eq!(group.code.as_deref(), Some("kasse"));
    assert_eq!(open.kind, CompetencyKind::Skill);
    assert_eq!(close.kind, CompetencyKind::Competency);
    let de = &open.labels["de"];
    assert_eq!(de.preferred, "Kasse öffnen");
    assert_eq!(
        de.description.as_deref(),
        Some("Wechselgeld zählen, Kasse starten")
    );
    assert_eq!(de.alternatives, ["Kasse hochfahren", "Kasse starten"]);
    assert_eq!(open.labels["en"].preferred, "Open the till");
    assert!(!close.labels.contains_key("en"));

    assert_eq!(
        framework.relations,
        [
            relation("kasse-01", RelationKind::Broader, "kasse"),
            relation("kasse-02", RelationKind::Broader, "kasse"),
            relation("kasse-02", RelationKind::Prerequisite, "kasse-01"),
            relation(
                "kasse-02",
                RelationKind::ExactMatch,
                "http://data.europa.eu/esco/skill/a"
            ),
            relation(
                "kasse-02",
                RelationKind::ExactMatch,
                "http://data.europa.eu/esco/skill/b"
            ),
            relation(
                "kasse-02",
                RelationKind::Broader,
                "http://data.europa.eu/esco/skill/g"
            ),
            relation("kasse-02", RelationKind::Related, "https://example.org/x"),
        ]
    );
}

#[test]
fn a_semicolon_separated_file_from_german_excel_with_bom_and_crlf() {
    let text = "\u{feff}Label_DE;CODE;Parent_Code;Kind;description_de\r\n\
                Kasse;kasse;;Group;\"Alles rund um die Kasse; mit Zeilenumbruch\r\nzweite Zeile\"\r\n\
                Kasse öffnen;kasse-01;kasse;;\r\n\
                ;;;;\r\n";
    let framework =
        read_competency_csv(text.as_bytes(), "kasse.csv", "kasse-modell", "Kassenmodell").unwrap();
    assert_eq!(framework.competencies.len(), 2);
    assert_eq!(framework.competencies[0].kind, CompetencyKind::Group);
    assert_eq!(
        framework.competencies[0].labels["de"]
            .description
            .as_deref(),
        Some("Alles rund um die Kasse; mit Zeilenumbruch\r\nzweite Zeile")
    );
    assert_eq!(
        framework.relations,
        [relation("kasse-01", RelationKind::Broader, "kasse")]
    );
    // Only the languages the file has label columns for.
    assert_eq!(framework.title.keys().collect::<Vec<_>>(), ["de"]);

    // The same content with commas gives the same framework, but another version.
    let comma = "label_de,code,parent_code,kind,description_de\n\
                 Kasse,kasse,,group,\"Alles rund um die Kasse; mit Zeilenumbruch\r\nzweite Zeile\"\n\
                 Kasse öffnen,kasse-01,kasse,,\n";
    let same = read_competency_csv(
        comma.as_bytes(),
        "kasse.csv",
        "kasse-modell",
        "Kassenmodell",
    )
    .unwrap();
    assert_eq!(same.competencies, framework.competencies);
    assert_eq!(same.relations, framework.relations);
    assert_ne!(same.version, framework.version);
    let again = read_competency_csv(
        comma.as_bytes(),
        "other.csv",
        "kasse-modell",
        "Kassenmodell",
    )
    .unwrap();
    assert_eq!(again.version, same.version);
}

fn errors(text: &[u8]) -> Vec<String> {
    let e: ImportErrors = read_competency_csv(text, "kasse.csv", "k", "K").unwrap_err();
    e.errors.iter().map(ToString::to_string).collect()
}

#[test]
fn every_error_with_line_and_column() {
    let mut text = b"code;parent_code;kind;label_de;label_en;prerequisite_codes;exact_match\n\
        a;;skill;A;;;\n\
        b;a;talent;B;;;\n\
        a;;;A again;;;\n\
        c;nowhere;;C;;;\n\
        d;;;;;;\n\
        e;g;;E;;;\n\
        f;e;;F;;;\n\
        g;f;;G;;;\n\
        h;;;H;;x|a;\n\
        i;;;I;\n\
        j;;;J;;;not a uri\n\
        k;k;;K;;;\n\
        m;;;M;;n;\n\
        n;;;N;;m;\n"
        .to_vec();
    text.extend_from_slice(b"u;;;bad \xfc;;;\n");
    assert_eq!(
        errors(&text),
        [
            "kasse.csv:3:3 (kind): unknown kind `talent`; expected skill, knowledge, group or competency",
            "kasse.csv:4:1 (code): duplicate code `a` (first on line 2)",
            "kasse.csv:5:2 (parent_code): parent_code `nowhere` is not a code in this file",
            "kasse.csv:6:4 (label_de): no label: label_de or label_en is required",
            "kasse.csv:7:2 (parent_code): cycle in parent_code: e → g → f → e",
            "kasse.csv:10:6 (prerequisite_codes): prerequisite `x` is not a code in this file",
            "kasse.csv:11: the row has 5 fields, the header has 7",
            "kasse.csv:12:7 (exact_match): `not a uri` is not a URI (like http://data.europa.eu/esco/skill/…)",
            "kasse.csv:13:2 (parent_code): cycle in parent_code: k → k",
            "kasse.csv:14:6 (prerequisite_codes): cycle in prerequisite_codes: m → n → m",
            "kasse.csv:16:4 (label_de): the field is not valid UTF-8",
        ]
    );
}

#[test]
fn header_errors() {
    assert_eq!(
        errors(b"code,lable_de,label_en,Code\nx,y,z,x\n"),
        [
            "kasse.csv:1:2 (lable_de): unknown column `lable_de`; the columns are code, parent_code, kind, label_de, label_en, description_de, description_en, alternatives_de, alternatives_en, prerequisite_codes, exact_match, broader_match, related_match",
            "kasse.csv:1:4 (Code): the column `Code` appears twice",
        ]
    );
    assert_eq!(
        errors(b"kind,description_en\n"),
        [
            "kasse.csv:1: the required column `code` is missing",
            "kasse.csv:1: a column `label_de` or `label_en` is required",
        ]
    );
    assert_eq!(
        errors(b""),
        ["kasse.csv:1: the file is empty; a header row is required"]
    );
    assert_eq!(
        errors(b"code,label_\xff\n"),
        ["kasse.csv:1:2: the column name is not valid UTF-8"]
    );
    // Columns with an empty header (a spreadsheet's trailing separators) are ignored.
    let framework =
        read_competency_csv(b"code;label_en;;\na;A;;\n", "kasse.csv", "k", "K").unwrap();
    assert_eq!(framework.competencies.len(), 1);
}

#[test]
fn text_in_a_language_without_its_label_is_an_error() {
    assert_eq!(
        errors(b"code,label_de,label_en,description_en,alternatives_en\na,A,,about a,\n"),
        ["kasse.csv:2:4 (description_en): text in language `en` but no label_en"]
    );
}

#[test]
fn a_missing_parent_whose_row_has_errors_is_reported_once() {
    assert_eq!(
        errors(b"code,parent_code,kind,label_en\na,,bogus,A\nb,a,,B\n"),
        ["kasse.csv:2:3 (kind): unknown kind `bogus`; expected skill, knowledge, group or competency"]
    );
}

#[test]
fn many_errors_are_counted_beyond_the_first_hundred() {
    let mut text = String::from("code,label_en,kind\n");
    for i in 0..250 {
        text.push_str(&format!("c{i},C,nope\n"));
    }
    let e = read_competency_csv(text.as_bytes(), "kasse.csv", "k", "K").unwrap_err();
    assert_eq!((e.errors.len(), e.more), (100, 150));
}

/// Trees of codes (each row's parent an earlier row) with prerequisites on earlier rows.
fn valid_tree() -> impl Strategy<Value = Vec<(Option<usize>, Vec<usize>, String)>> {
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            any::<bool>(),
            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
            "[a-zA-ZäöüÄÖÜß][a-zA-ZäöüÄÖÜß ,;\"]{0,12}",
        ),
        1..30,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (parent, has_parent, prerequisites, label))| {
                let parent = (i > 0 && has_parent).then(|| parent.index(i));
                let mut prerequisites: Vec<usize> = if i > 0 {
                    prerequisites.iter().map(|p| p.index(i)).collect()
                } else {
                    Vec::new()
                };
                prerequisites.sort_unstable();
                prerequisites.dedup();
                (parent, prerequisites, label)
            })
            .collect()
    })
}

fn quote(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

proptest! {
    #[test]
    fn valid_files_read_back_what_was_written(rows in valid_tree(), semicolon in any::<bool>()) {
        let d = if semicolon { ';' } else { ',' };
        let mut text = format!("label_de{d}prerequisite_codes{d}code{d}parent_code\n");
        for (i, (parent, prerequisites, label)) in rows.iter().enumerate() {
            let parent = parent.map(|p| format!("c-{p}")).unwrap_or_default();
            let prerequisites: Vec<String> = prerequisites.iter().map(|p| format!("c-{p}")).collect();
            text.push_str(&format!("{}{d}{}{d}c-{i}{d}{parent}\n", quote(label), prerequisites.join("|")));
        }
        let framework = read_competency_csv(text.as_bytes(), "p.csv", "p", "P").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(framework.competencies.len(), rows.len());
        for (competency, (_, _, label)) in framework.competencies.iter().zip(&rows) {
            // Alternatives are split at `|`; labels are kept whole (trimmed).
            prop_assert_eq!(&competency.labels["de"].preferred, label.trim());
        }
        let broader = framework.relations.iter().filter(|r| r.kind == RelationKind::Broader).count();
        prop_assert_eq!(broader, rows.iter().filter(|r| r.0.is_some()).count());
        let prerequisites = framework.relations.iter().filter(|r| r.kind == RelationKind::Prerequisite).count();
        prop_assert_eq!(prerequisites, rows.iter().map(|r| r.1.len()).sum::<usize>());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = read_competency_csv(&bytes, "p.csv", "p", "P");
    }

    #[test]
    fn arbitrary_rows_never_panic(text in "(code|label_de|parent_code|kind|prerequisite_codes|[a-z]{1,3})([,;](code|label_de|parent_code|kind|prerequisite_codes)){0,4}\n([a-c|;, \"\n]{0,12}\n){0,12}") {
        let _ = read_competency_csv(text.as_bytes(), "p.csv", "p", "P");
    }
}
