#![allow(clippy::unwrap_used, clippy::expect_used)]
//! CASE packages: the real SmartLevel framework, packages that stray from the schema (each
//! deviation reported with its path), hard errors, and arbitrary input.

use mycel_competency::framework::{CompetencyKind, FrameworkKind, RelationKind};
use mycel_framework_import::{read_case, Deviation};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::PathBuf;

fn smart_level() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/case/SmartLevelFramework.json");
    std::fs::read(&path).unwrap_or_else(|e| panic!("test data missing: {}: {e}", path.display()))
}

const ITEMS: &str = "https://server/ims/case/v1p0/CFItems/00000000-0000-0000-0000-0000000000";

#[test]
fn the_smart_level_framework() {
    let (framework, deviations) = read_case(&smart_level(), "SmartLevelFramework.json").unwrap();
    assert_eq!(deviations, []);
    assert_eq!(framework.kind, FrameworkKind::Case);
    assert_eq!(
        framework.uri,
        "https://server/ims/case/v1p0/CFDocuments/d0000000-0000-0000-0000-000000000000"
    );
    assert_eq!(framework.title["en"].preferred, "SmartLevel Test");
    assert_eq!(framework.version, "2017-09-22T23:13:54+00:00");
    assert_eq!(framework.competencies.len(), 14);
    let first = &framework.competencies[0];
    assert_eq!(first.uri, format!("{ITEMS}01"));
    assert_eq!(first.labels["en"].preferred, "Item 1");
    assert_eq!(first.kind, CompetencyKind::Competency);
    let labels: Vec<&str> = framework
        .competencies
        .iter()
        .map(|c| c.labels["en"].preferred.as_str())
        .collect();
    assert_eq!(labels[2..5], ["Item 1.1", "Item 1.2", "Item 1.3"]);
    // 14 isChildOf: the 2 to the document are no relations, 10 under Item 1, 2 under Item 2.
    assert_eq!(framework.relations.len(), 12);
    assert!(framework
        .relations
        .iter()
        .all(|r| r.kind == RelationKind::Broader));
    let under = |parent: &str| {
        framework
            .relations
            .iter()
            .filter(|r| r.to == format!("{ITEMS}{parent}"))
            .count()
    };
    assert_eq!((under("01"), under("02")), (10, 2));
    assert!(framework
        .relations
        .iter()
        .any(|r| r.from == format!("{ITEMS}13") && r.to == format!("{ITEMS}02")));
}

fn doc() -> Value {
    json!({"identifier": "d1", "uri": "https://x/doc/d1", "title": "Kasse", "lastChangeDateTime": "2024-01-02T03:04:05Z", "language": "de-DE", "version": "2.0"})
}

fn item(id: &str, statement: &str) -> Value {
    json!({"identifier": id, "uri": format!("https://x/item/{id}"), "fullStatement": statement, "lastChangeDateTime": "2024-01-02T03:04:05Z"})
}

fn assoc(kind: &str, origin: &str, destination: &str) -> Value {
    let node = |id: &str| {
        if id == "d1" {
            json!({"identifier": "d1", "uri": "https://x/doc/d1", "title": "Kasse"})
        } else {
            json!({"identifier": id, "uri": format!("https://x/item/{id}"), "title": id})
        }
    };
    json!({"identifier": format!("{origin}-{kind}-{destination}"), "associationType": kind, "originNodeURI": node(origin), "destinationNodeURI": node(destination)})
}

fn read(package: &Value) -> (mycel_competency::framework::FrameworkImport, Vec<Deviation>) {
    read_case(package.to_string().as_bytes(), "p.json").unwrap_or_else(|e| panic!("{e}"))
}

fn paths(deviations: &[Deviation]) -> Vec<String> {
    deviations.iter().map(ToString::to_string).collect()
}

#[test]
fn association_types_map_to_relations() {
    let mut domain = item("dom", "Kassieren");
    domain["CFItemType"] = json!("Domain");
    let mut abbreviated = item(
        "b",
        "Den Kassenabschluss korrekt und vollständig durchführen",
    );
    abbreviated["abbreviatedStatement"] = json!("Kassenabschluss");
    abbreviated["humanCodingScheme"] = json!("K.2");
    abbreviated["language"] = json!("en");
    let mut lonely_domain = item("c", "Bargeld annehmen");
    lonely_domain["CFItemType"] = json!("Domain");
    lonely_domain["notes"] = json!("Nur Euro");
    let package = json!({
        "CFDocument": doc(),
        "CFItems": [domain, item("a", "Kasse öffnen"), abbreviated, lonely_domain, item("d", "Alt")],
        "CFAssociations": [
            assoc("isChildOf", "dom", "d1"),
            assoc("isChildOf", "a", "dom"),
            assoc("isPartOf", "b", "dom"),
            assoc("precedes", "a", "b"),
            assoc("isRelatedTo", "a", "c"),
            assoc("isPeerOf", "c", "b"),
            assoc("exactMatchOf", "a", "a-elsewhere"),
            assoc("replacedBy", "d", "c"),
            assoc("exemplar", "a", "c"),
            assoc("hasSkillLevel", "a", "c"),
            assoc("isChildOf", "a", "dom"),
        ],
    });
    let (framework, deviations) = read(&package);
    assert_eq!(framework.uri, "https://x/doc/d1");
    assert_eq!(framework.version, "2.0");
    assert_eq!(framework.title["de"].preferred, "Kasse");
    let kinds: Vec<CompetencyKind> = framework.competencies.iter().map(|c| c.kind).collect();
    // A Domain with children groups; one without children stays a competency.
    assert_eq!(
        kinds,
        [
            CompetencyKind::Group,
            CompetencyKind::Competency,
            CompetencyKind::Competency,
            CompetencyKind::Competency,
            CompetencyKind::Competency
        ]
    );
    let b = &framework.competencies[2];
    assert_eq!(b.code.as_deref(), Some("K.2"));
    assert_eq!(b.labels["en"].preferred, "Kassenabschluss");
    assert_eq!(
        b.labels["en"].description.as_deref(),
        Some("Den Kassenabschluss korrekt und vollständig durchführen")
    );
    let c = &framework.competencies[3];
    assert_eq!(c.category.as_deref(), Some("Domain"));
    assert_eq!(c.labels["de"].description.as_deref(), Some("Nur Euro"));

    let relations: Vec<(String, RelationKind, String)> = framework
        .relations
        .iter()
        .map(|r| {
            (
                r.from.replace("https://x/item/", ""),
                r.kind,
                r.to.replace("https://x/item/", ""),
            )
        })
        .collect();
    let expected = [
        ("a", RelationKind::Broader, "dom"),
        ("b", RelationKind::Broader, "dom"),
        ("b", RelationKind::Prerequisite, "a"),
        ("a", RelationKind::Related, "c"),
        ("c", RelationKind::Related, "b"),
        ("a", RelationKind::ExactMatch, "a-elsewhere"),
        ("d", RelationKind::ReplacedBy, "c"),
    ]
    .map(|(f, k, t)| (f.to_owned(), k, t.to_owned()));
    assert_eq!(relations, expected);
    assert_eq!(
        paths(&deviations),
        [
            "$.CFAssociations[8].associationType: `exemplar` is not imported; association skipped",
            "$.CFAssociations[9].associationType: `hasSkillLevel` is not imported; association skipped",
        ]
    );
}

#[test]
fn deviations_are_read_and_reported_with_their_paths() {
    let mut no_uri = item("n", "Ohne URI");
    no_uri.as_object_mut().unwrap().remove("uri");
    let mut odd_date = item("o", "Altes Datum");
    odd_date["lastChangeDateTime"] = json!("22.09.2017");
    let mut lower = item("l", "Kleingeschrieben");
    let statement = lower
        .as_object_mut()
        .unwrap()
        .remove("fullStatement")
        .unwrap();
    lower["FullStatement"] = statement;
    let mut document = doc();
    document["lastChangeDateTime"] = json!("2017-09-22 23:13");
    document.as_object_mut().unwrap().remove("version");
    let package = json!({
        "CFPackage": {
            "cfDocument": document,
            "cfItems": [
                item("a", "A"),
                no_uri,
                item("a", "A again"),
                odd_date,
                lower,
                "not an item",
                {"identifier": "x", "uri": "https://x/item/x"},
            ],
            "CFAssociations": [
                assoc("isChildOf", "a", "ghost"),
                assoc("isChildOf", "ghost", "a"),
                assoc("IsChildOf", "n", "a"),
                {"associationType": "isChildOf", "originNodeURI": "o", "destinationNodeURI": {"identifier": "a"}},
                assoc("isChildOf", "a", "n"),
                assoc("isChildOf", "l", "l"),
                {"associationType": "precedes", "originNodeURI": {"identifier": "a"}},
                assoc("ext:hasPart", "a", "l"),
            ],
        }
    });
    let (framework, deviations) = read(&package);
    // The version is lastChangeDateTime when there is no version; labels are in the document's
    // language (de-DE → de).
    assert_eq!(framework.version, "2017-09-22 23:13");
    let uris: Vec<&str> = framework
        .competencies
        .iter()
        .map(|c| c.uri.as_str())
        .collect();
    assert_eq!(
        uris,
        [
            "https://x/item/a",
            "n",
            "https://x/item/o",
            "https://x/item/l"
        ]
    );
    assert_eq!(
        framework.competencies[3].labels["de"].preferred,
        "Kleingeschrieben"
    );
    let relations: Vec<(&str, &str)> = framework
        .relations
        .iter()
        .map(|r| (r.from.as_str(), r.to.as_str()))
        .collect();
    assert_eq!(
        relations,
        [
            ("n", "https://x/item/a"),
            ("https://x/item/o", "https://x/item/a")
        ]
    );
    assert_eq!(
        paths(&deviations),
        [
            "$.CFPackage: package wrapped in `CFPackage`; its content read",
            "$.CFPackage.cfDocument: key spelled `cfDocument`; read as `CFDocument` (here and wherever else it is spelled so)",
            "$.CFPackage.cfDocument.lastChangeDateTime: `2017-09-22 23:13` is not an ISO 8601 date-time (like 2017-09-22T23:13:54+00:00); kept as written",
            "$.CFPackage.cfItems: key spelled `cfItems`; read as `CFItems` (here and wherever else it is spelled so)",
            "$.CFPackage.cfItems[1].uri: missing; used identifier",
            "$.CFPackage.cfItems[2]: duplicate identifier `a` (first at $.CFPackage.cfItems[0]); skipped",
            "$.CFPackage.cfItems[3].lastChangeDateTime: `22.09.2017` is not an ISO 8601 date-time (like 2017-09-22T23:13:54+00:00); kept as written",
            "$.CFPackage.cfItems[4].FullStatement: key spelled `FullStatement`; read as `fullStatement` (here and wherever else it is spelled so)",
            "$.CFPackage.cfItems[5]: not an object; skipped",
            "$.CFPackage.cfItems[6]: no fullStatement nor any other text; skipped",
            "$.CFPackage.CFAssociations[0].destinationNodeURI: `ghost` is not an item of this package; association dropped",
            "$.CFPackage.CFAssociations[1].originNodeURI: `ghost` is not an item of this package; association dropped",
            "$.CFPackage.CFAssociations[2].associationType: `IsChildOf` read as `isChildOf`",
            "$.CFPackage.CFAssociations[3].originNodeURI: a plain string instead of {identifier, uri, title}; read as either",
            "$.CFPackage.CFAssociations[5]: an item related to itself; dropped",
            "$.CFPackage.CFAssociations[6].destinationNodeURI: missing; association dropped",
            "$.CFPackage.CFAssociations[7].associationType: `ext:hasPart` is not imported; association skipped",
            "$.CFPackage.CFAssociations[4]: closes a cycle of `broader` relations; dropped",
        ]
    );
}

#[test]
fn hard_errors_name_the_file_and_where() {
    let e = read_case(b"{\n  \"CFDocument\": {,\n}", "broken.json").unwrap_err();
    assert_eq!(e.errors.len(), 1);
    let error = &e.errors[0];
    assert_eq!((error.file.as_str(), error.line), ("broken.json", Some(2)));
    assert_eq!(error.column.as_ref().map(|c| c.number), Some(18));
    assert_eq!(
        error.to_string(),
        "broken.json:2:18: not valid JSON: key must be a string"
    );

    let cases = [
        (
            json!([1, 2]),
            "p.json: $: not a CASE package: the JSON is not an object",
        ),
        (
            json!({"CFItems": [item("a", "A")]}),
            "p.json: $: no CFDocument: not a CASE package",
        ),
        (
            json!({"CFDocument": doc()}),
            "p.json: $: no CFItems: nothing to import",
        ),
        (
            json!({"CFDocument": doc(), "CFItems": []}),
            "p.json: $.CFItems: no items: nothing to import",
        ),
        (
            json!({"CFDocument": doc(), "CFItems": [{"identifier": "x"}]}),
            "p.json: $.CFItems: none of the items can be imported",
        ),
        (
            json!({"CFDocument": {"title": "T"}, "CFItems": [item("a", "A")]}),
            "p.json: $.CFDocument: the CFDocument has neither uri nor identifier",
        ),
    ];
    for (package, expected) in cases {
        let e = read_case(package.to_string().as_bytes(), "p.json").unwrap_err();
        assert_eq!(e.to_string(), expected);
    }
}

#[test]
fn a_byte_order_mark_and_a_document_without_uri_or_title() {
    let mut document = doc();
    let document_object = document.as_object_mut().unwrap();
    document_object.remove("uri");
    document_object.remove("title");
    document_object.remove("language");
    let mut text = b"\xef\xbb\xbf".to_vec();
    text.extend(
        json!({"CFDocument": document, "CFItems": [item("a", "A")]})
            .to_string()
            .bytes(),
    );
    let (framework, deviations) = read_case(&text, "upload.json").unwrap();
    assert_eq!(framework.uri, "d1");
    assert_eq!(framework.title["en"].preferred, "upload.json");
    assert_eq!(framework.competencies[0].labels["en"].preferred, "A");
    assert_eq!(
        paths(&deviations),
        [
            "$.CFDocument.uri: missing; used identifier",
            "$.CFDocument.title: missing; used the file name"
        ]
    );
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("CFDocument".to_owned()),
        Just("CFItems".to_owned()),
        Just("CFAssociations".to_owned()),
        Just("CFPackage".to_owned()),
        Just("cfitems".to_owned()),
        Just("identifier".to_owned()),
        Just("uri".to_owned()),
        Just("fullStatement".to_owned()),
        Just("abbreviatedStatement".to_owned()),
        Just("associationType".to_owned()),
        Just("originNodeURI".to_owned()),
        Just("destinationNodeURI".to_owned()),
        Just("language".to_owned()),
        Just("lastChangeDateTime".to_owned()),
        Just("CFItemType".to_owned()),
        "[a-zA-Z]{0,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("isChildOf".to_owned()),
            Just("precedes".to_owned()),
            Just("exactMatchOf".to_owned()),
            Just("https://x/a".to_owned()),
            Just("2017-09-22T23:13:54".to_owned()),
            ".{0,12}",
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Packages close to the schema: items and associations naming a few identifiers, some missing,
/// some repeated, some outside the package, with every association type.
fn plausible_package() -> impl Strategy<Value = Value> {
    let id = prop::sample::select(vec!["a", "b", "c", "e", "f", "d", "ghost"]);
    let item = (
        id.clone(),
        any::<bool>(),
        prop::option::of("[A-Z][a-z]{0,5}"),
        prop::option::of(prop::sample::select(vec!["Domain", "Standard"])),
    )
        .prop_map(|(id, with_uri, statement, item_type)| {
            let mut item = json!({"identifier": id});
            if with_uri {
                item["uri"] = json!(format!("https://x/item/{id}"));
            }
            if let Some(statement) = statement {
                item["fullStatement"] = json!(statement);
            }
            if let Some(item_type) = item_type {
                item["CFItemType"] = json!(item_type);
            }
            item
        });
    let kind = prop::sample::select(vec![
        "isChildOf",
        "isPartOf",
        "precedes",
        "isRelatedTo",
        "isPeerOf",
        "exactMatchOf",
        "replacedBy",
        "exemplar",
        "hasSkillLevel",
        "other",
    ]);
    let node = (id, any::<bool>()).prop_map(|(id, as_uri)| {
        if as_uri {
            json!({"uri": format!("https://x/item/{id}")})
        } else {
            json!({"identifier": id})
        }
    });
    let association = (kind, node.clone(), node)
        .prop_map(|(kind, origin, destination)| json!({"associationType": kind, "originNodeURI": origin, "destinationNodeURI": destination}));
    (prop::collection::vec(item, 0..8), prop::collection::vec(association, 0..24)).prop_map(|(items, associations)| {
        json!({"CFDocument": {"identifier": "d", "title": "T"}, "CFItems": items, "CFAssociations": associations})
    })
}

/// What any import must satisfy: unique URIs, relations from items of the package, structural
/// relations within it and without cycles.
fn check_consistent(value: &Value) -> Result<(), TestCaseError> {
    if let Ok((framework, _)) = read_case(value.to_string().as_bytes(), "p.json") {
        prop_assert!(!framework.competencies.is_empty());
        let uris: std::collections::HashSet<&str> = framework
            .competencies
            .iter()
            .map(|c| c.uri.as_str())
            .collect();
        prop_assert_eq!(uris.len(), framework.competencies.len());
        for relation in &framework.relations {
            prop_assert!(uris.contains(relation.from.as_str()));
            prop_assert!(relation.from != relation.to);
            if matches!(
                relation.kind,
                RelationKind::Broader | RelationKind::Prerequisite
            ) {
                prop_assert!(uris.contains(relation.to.as_str()));
            }
        }
        for kind in [RelationKind::Broader, RelationKind::Prerequisite] {
            // Follow each item's edges of this kind: no path may come back to it.
            for start in &uris {
                let mut stack = vec![*start];
                let mut seen = std::collections::HashSet::new();
                while let Some(node) = stack.pop() {
                    for r in framework
                        .relations
                        .iter()
                        .filter(|r| r.kind == kind && r.from == node)
                    {
                        prop_assert!(r.to != *start, "cycle through {}", start);
                        if seen.insert(r.to.as_str()) {
                            stack.push(r.to.as_str());
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn plausible_packages_import_consistently(package in plausible_package()) {
        check_consistent(&package)?;
    }

    #[test]
    fn arbitrary_json_never_panics_and_what_is_read_hangs_together(value in arbitrary_json()) {
        check_consistent(&value)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = read_case(&bytes, "p.json");
    }
}
