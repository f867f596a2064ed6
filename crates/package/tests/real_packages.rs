//! The real packages in shared/data/packages and the cmi5 specification's examples.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use mycel_package::{
    inspect, inspect_bytes, parse_cmi5, Cmi5Node, LangString, LaunchMethod, MoveOn, Package,
    PackageKind, PackageLimits, PackageRefusal, Scorm2004Edition, UnitKind,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

fn read_data(relative: &str) -> Vec<u8> {
    let path = format!("{DATA}/{relative}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("test data {path} is missing: {e}"))
}

fn limits() -> PackageLimits {
    PackageLimits::default()
}

/// Every regular file of a zip, read independently of the crate under test.
fn zip_contents(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        if file.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        out.insert(file.name().to_owned(), data);
    }
    out
}

/// Every regular file under a directory, by relative path with `/`.
fn files_on_disk(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            assert!(!kind.is_symlink(), "{} is a link", path.display());
            if kind.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Inspects, checks the hash against an independent computation, extracts and compares every byte.
fn inspect_and_extract(relative: &str) -> Package {
    use sha2::Digest;
    let bytes = read_data(relative);
    let mut inspected =
        inspect_bytes(&bytes, &limits()).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let expected_hash: [u8; 32] = sha2::Sha256::digest(&bytes).into();
    assert_eq!(inspected.package().sha256(), expected_hash);

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("extracted");
    inspected.extract_to(&target).unwrap();
    let on_disk = files_on_disk(&target);
    let in_zip = zip_contents(&bytes);
    assert_eq!(on_disk.len(), inspected.package().files().len());
    assert_eq!(
        on_disk, in_zip,
        "{relative}: extracted files differ from the zip"
    );
    // Nothing else was left beside the target (the temporary directory was renamed).
    let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1);
    inspected.into_package()
}

#[test]
fn scorm_12_single_sco() {
    let package = inspect_and_extract("packages/scorm/singlescobasic.zip");
    assert_eq!(package.kind(), PackageKind::Scorm12);
    assert_eq!(package.files().len(), 46);
    assert_eq!(
        package.sha256_hex(),
        "abd5edb6cc69585e710f64d0ecf8f500c736947282245b1243e6705540939051"
    );
    let manifest = package.scorm().unwrap();
    assert_eq!(
        manifest.identifier,
        "com.scorm.golfsamples.runtime.basicruntime.12"
    );
    assert_eq!(manifest.schema.as_deref(), Some("ADL SCORM"));
    assert_eq!(manifest.schema_version.as_deref(), Some("1.2"));
    let organization = manifest.organization().unwrap();
    assert_eq!(organization.identifier, "golf_sample_default_org");
    assert_eq!(organization.item_count(), 1);
    assert_eq!(package.title(), "Golf Explained - Run-time Basic Calls");
    assert_eq!(manifest.resources.len(), 1);
    assert_eq!(manifest.resources[0].files.len(), 41);

    let units = package.launchable_units();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].kind, UnitKind::Sco);
    assert_eq!(units[0].id, "item_1");
    assert_eq!(units[0].title, "Golf Explained");
    assert_eq!(units[0].launch, "shared/launchpage.html");
    assert_eq!(units[0].mastery_score, None);

    let html = package.file("shared/launchpage.html").unwrap();
    assert_eq!(html.content_type, "text/html");
    assert_eq!(html.size, 11834);
    assert_eq!(
        package.file("shared/style.css").unwrap().content_type,
        "text/css"
    );
    assert_eq!(
        package.file("shared/cclicense.png").unwrap().content_type,
        "image/png"
    );
    assert_eq!(
        package.file("adlcp_rootv1p2.xsd").unwrap().content_type,
        "application/xml"
    );
    assert_eq!(
        package.file("Playing/questions.js").unwrap().content_type,
        "text/javascript"
    );
}

#[test]
fn scorm_12_multi_sco() {
    let package = inspect_and_extract("packages/scorm/RuntimeMinimumCalls_SCORM12.zip");
    assert_eq!(package.kind(), PackageKind::Scorm12);
    assert_eq!(package.files().len(), 44);
    let manifest = package.scorm().unwrap();
    let organization = manifest.organization().unwrap();
    assert_eq!(organization.items.len(), 4);
    assert_eq!(organization.item_count(), 22);
    assert_eq!(manifest.resources.len(), 19);

    let units = package.launchable_units();
    assert_eq!(units.len(), 18);
    assert!(units.iter().all(|u| u.kind == UnitKind::Sco));
    assert_eq!(units[0].id, "playing_playing_item");
    assert_eq!(units[0].title, "How to Play");
    assert_eq!(units[0].launch, "Playing/Playing.html");
    // Item parameters join the resource href with "?".
    let quiz = units.iter().find(|u| u.id == "playing_quiz_item").unwrap();
    assert_eq!(
        quiz.launch,
        "shared/assessmenttemplate.html?questions=Playing"
    );
    assert_eq!(quiz.title, "Playing Golf Quiz");
    let last = units.last().unwrap();
    assert_eq!(last.id, "havingfun_quiz_item");
    assert_eq!(
        last.launch,
        "shared/assessmenttemplate.html?questions=HavingFun"
    );

    let common = manifest.resource("common_files").unwrap();
    assert_eq!(common.scorm_type, Some(mycel_package::ScormType::Asset));
    assert_eq!(common.href, None);
    assert_eq!(common.files.len(), 7);
    let playing = manifest.resource("playing_playing_resource").unwrap();
    assert_eq!(playing.dependencies, vec!["common_files".to_string()]);

    let rendered = package.to_string();
    assert!(
        rendered.starts_with("SCORM 1.2 package: 44 files, "),
        "{rendered}"
    );
    assert!(rendered.contains(
        "  organization \"Golf Explained - Minimum Run-time Calls\" (golf_sample_default_org, default)\n    item \"Playing the Game\" (playing_item)\n      SCO \"How to Play\" (playing_playing_item) -> Playing/Playing.html\n"
    ), "{rendered}");
}

#[test]
fn scorm_2004_third_edition() {
    let package = inspect_and_extract("packages/scorm/RuntimeBasicCalls_SCORM20043rdEdition.zip");
    assert_eq!(
        package.kind(),
        PackageKind::Scorm2004 {
            edition: Scorm2004Edition::Third
        }
    );
    assert_eq!(package.kind().to_string(), "SCORM 2004 3rd Edition");
    assert_eq!(package.files().len(), 69);
    let manifest = package.scorm().unwrap();
    assert_eq!(
        manifest.identifier,
        "com.scorm.golfsamples.runtime.basicruntime.20043rd"
    );
    assert_eq!(manifest.organization().unwrap().item_count(), 1);
    let units = package.launchable_units();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].kind, UnitKind::Sco);
    assert_eq!(units[0].id, "item_1");
    assert_eq!(units[0].title, "Golf Explained");
    assert_eq!(units[0].launch, "shared/launchpage.html");
    assert_eq!(manifest.resources[0].files.len(), 39);
    assert_eq!(
        package.file("imsss_v1p0.xsd").unwrap().content_type,
        "application/xml"
    );
    assert_eq!(
        package.file("Playing/par.jpg").unwrap().content_type,
        "image/jpeg"
    );
}

#[test]
fn cmi5_single_au() {
    let package = inspect_and_extract("packages/cmi5/single_au_basic_framed.zip");
    assert_eq!(package.kind(), PackageKind::Cmi5);
    assert_eq!(package.files().len(), 14);
    let course = package.cmi5().unwrap();
    assert_eq!(
        course.id,
        "https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic"
    );
    assert_eq!(
        course.title,
        vec![LangString {
            lang: Some("en-US".into()),
            text: "Introduction to Geology - Framed Style".into()
        }]
    );
    assert!(course.description[0]
        .text
        .starts_with("This course will introduce you into the basics of geology."));
    let units = package.launchable_units();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].kind, UnitKind::Au);
    assert_eq!(
        units[0].id,
        "https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic/1"
    );
    assert_eq!(units[0].launch, "index.html");
    assert_eq!(units[0].mastery_score, None);
    let au = course.aus()[0];
    assert_eq!(au.move_on, MoveOn::CompletedOrPassed);
    assert_eq!(au.launch_method, LaunchMethod::AnyWindow);

    for (path, content_type, size) in [
        ("index.html", "text/html", 42481),
        ("js/cmi5.min.js", "text/javascript", 20377),
        ("style/framed.css", "text/css", 7005),
        ("video/mountains_31175.mp4", "video/mp4", 2636971),
        ("img/fault_types.svg", "image/svg+xml", 156500),
        ("img/earth_timescale.png", "image/png", 40850),
        ("img/utahstrat.jpg", "image/jpeg", 922753),
        ("cmi5.xml", "application/xml", 1262),
    ] {
        let file = package
            .file(path)
            .unwrap_or_else(|| panic!("{path} missing"));
        assert_eq!(file.content_type, content_type, "{path}");
        assert_eq!(file.size, size, "{path}");
    }
    let rendered = package.to_string();
    assert!(rendered.contains(
        "course \"Introduction to Geology - Framed Style\" (https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic), 0 objective(s)\n  AU \"Introduction to Geology - Framed Style\" (https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic/1) -> index.html [moveOn CompletedOrPassed, AnyWindow]\n"
    ), "{rendered}");
}

/// Also through the `Read + Seek` entry point, from a file on disk.
#[test]
fn inspect_from_a_file() {
    let path = format!("{DATA}/packages/scorm/singlescobasic.zip");
    let file = std::fs::File::open(&path).unwrap();
    let mut inspected = inspect(file, &limits()).unwrap();
    assert_eq!(inspected.package().files().len(), 46);
    assert_eq!(
        inspected.package().sha256_hex(),
        "abd5edb6cc69585e710f64d0ecf8f500c736947282245b1243e6705540939051"
    );
    let dir = tempfile::tempdir().unwrap();
    inspected.extract_to(&dir.path().join("x")).unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("x/shared/launchpage.html"))
            .unwrap()
            .len(),
        11834
    );
}

/// The CATAPULT test course lacks the `index.html` its AU launches: refused, naming the file.
/// With the file added, the same course is accepted.
#[test]
fn cmi5_lts_essentials_misses_its_launch_file() {
    let bytes = read_data("packages/cmi5/lts-001-essentials.zip");
    let err = inspect_bytes(&bytes, &limits()).unwrap_err();
    match &err {
        PackageRefusal::MissingFiles { file, missing } => {
            assert_eq!(file, "cmi5.xml");
            assert_eq!(missing, &vec!["index.html".to_string()]);
        }
        other => panic!("unexpected refusal: {other}"),
    }
    assert_eq!(
        err.to_string(),
        "cmi5.xml references 1 file(s) missing from the package: index.html"
    );

    // The structure itself, through the public parser.
    let cmi5_xml = zip_contents(&bytes).remove("cmi5.xml").unwrap();
    let course = parse_cmi5(&cmi5_xml).unwrap();
    assert_eq!(
        course.id,
        "https://w3id.org/xapi/cmi5/catapult/lts/course/001-essentials"
    );
    assert_eq!(course.children.len(), 1);
    let Cmi5Node::Block(block) = &course.children[0] else {
        panic!("expected a block")
    };
    assert_eq!(
        block.id,
        "https://w3id.org/xapi/cmi5/catapult/lts/block/001-essentials"
    );
    assert_eq!(
        block.title[0].text,
        "CATAPULT LMS Test Block: 001 Essentials"
    );
    let au = course.aus()[0];
    assert_eq!(
        au.id,
        "https://w3id.org/xapi/cmi5/catapult/lts/au/001-essentials"
    );
    assert_eq!(au.url, "index.html?paramA=1&paramB=2");
    assert_eq!(au.move_on, MoveOn::CompletedAndPassed);
    assert_eq!(au.mastery_score, Some(0.9));
    assert_eq!(au.launch_parameters.as_deref(), Some("sample string"));
    assert_eq!(au.entitlement_key.as_deref(), Some("sample value"));

    // Add the missing file: accepted, and the launch keeps its query string.
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in zip_contents(&bytes) {
        writer.start_file(name, options).unwrap();
        writer.write_all(&data).unwrap();
    }
    writer.start_file("index.html", options).unwrap();
    writer.write_all(b"<html></html>").unwrap();
    let fixed = writer.finish().unwrap().into_inner();
    let inspected = inspect_bytes(&fixed, &limits()).unwrap();
    let units = inspected.package().launchable_units();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].launch, "index.html?paramA=1&paramB=2");
    assert_eq!(units[0].mastery_score, Some(0.9));
    assert!(inspected.package().to_string().contains(
        "  block \"CATAPULT LMS Test Block: 001 Essentials\" (https://w3id.org/xapi/cmi5/catapult/lts/block/001-essentials)\n    AU \"CATAPULT LMS Test AU: 001 Essentials\" (https://w3id.org/xapi/cmi5/catapult/lts/au/001-essentials) -> index.html?paramA=1&paramB=2 [moveOn CompletedAndPassed, mastery 0.9, AnyWindow]\n"
    ));
}

#[test]
fn spec_simple_example() {
    let course = parse_cmi5(&read_data("specs/simple-cmi5.xml")).unwrap();
    assert_eq!(
        course.id,
        "http://course-repository.example.edu/identifiers/courses/02baafcf"
    );
    assert_eq!(course.title[0].text, "Introduction to Geology");
    assert_eq!(course.title[0].lang.as_deref(), Some("en-US"));
    let aus = course.aus();
    assert_eq!(aus.len(), 1);
    assert_eq!(
        aus[0].url,
        "http://course-repository.example.edu/identifiers/courses/02baafcf/aus/4c07/launch.html"
    );
    assert_eq!(aus[0].move_on, MoveOn::NotApplicable);
    assert!(course.blocks().is_empty());

    // Wrapped in a zip alone: the absolute URL needs no file, so the package is accepted.
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    writer
        .start_file("cmi5.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    writer
        .write_all(&read_data("specs/simple-cmi5.xml"))
        .unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let inspected = inspect_bytes(&bytes, &limits()).unwrap();
    assert_eq!(inspected.package().kind(), PackageKind::Cmi5);
    assert_eq!(inspected.package().launchable_units()[0].launch, aus[0].url);
}

#[test]
fn spec_complex_example() {
    let course = parse_cmi5(&read_data("specs/complex-cmi5.xml")).unwrap();
    assert_eq!(
        course.id,
        "http://courses.example.edu/identifiers/courses/d07e186b"
    );
    assert_eq!(
        course.title,
        vec![
            LangString {
                lang: Some("en-US".into()),
                text: "Geology".into()
            },
            LangString {
                lang: Some("de-DE".into()),
                text: "Geologie".into()
            },
        ]
    );
    assert_eq!(course.objectives.len(), 4);
    assert_eq!(
        course.objectives[0].id,
        "http://objectives.example.com/identifiers/geology/basics"
    );
    assert_eq!(course.objectives[0].title[1].text, "Geologie - Grundwissen");
    // Top level: three blocks and one AU, in document order.
    let kinds: Vec<&str> = course
        .children
        .iter()
        .map(|n| match n {
            Cmi5Node::Block(_) => "block",
            Cmi5Node::Au(_) => "au",
        })
        .collect();
    assert_eq!(kinds, ["block", "block", "block", "au"]);
    let aus = course.aus();
    assert_eq!(aus.len(), 14);
    assert_eq!(course.blocks().len(), 6);

    let first = aus[0];
    assert_eq!(
        first.id,
        "http://courses.example.edu/identifiers/courses/d07e186b/blocks/001/aus/64f6"
    );
    assert_eq!(
        first.activity_type.as_deref(),
        Some("http://adlnet.gov/expapi/activities/lesson")
    );
    assert_eq!(first.move_on, MoveOn::CompletedOrPassed);
    assert_eq!(first.mastery_score, Some(1.0));
    assert_eq!(
        first.launch_parameters.as_deref(),
        Some("{'initialSpeed':3.0,'mode':1}")
    );
    assert_eq!(
        first.entitlement_key.as_deref(),
        Some("833d0c7c-a3f8-4f9b-a51f-cbd8a9dac9fb")
    );

    let Cmi5Node::Block(block1) = &course.children[0] else {
        panic!("expected a block")
    };
    assert_eq!(
        block1.objectives,
        vec![
            "http://objectives.example.com/identifiers/geology/basics".to_string(),
            "http://objectives.example.com/identifiers/geology/material-identification".to_string()
        ]
    );

    let last = aus[13];
    assert_eq!(last.id, "http://quiz-server.example.com/1Hu62hL");
    assert_eq!(last.mastery_score, Some(0.7));
    assert_eq!(last.url, "http://quiz-server.example.com/1Hu62hL");
    assert_eq!(
        last.launch_parameters.as_deref(),
        Some("{'level':3,'count':25,'_callback':'http://courses.example.edu/quizes/'}")
    );
    // An empty <launchParameters> and <entitlementKey> count as absent.
    let au_6f65 = aus
        .iter()
        .find(|a| a.id == "http://example.com/courses/f59c9fc0/au/6f65")
        .unwrap();
    assert_eq!(au_6f65.launch_parameters, None);
    assert_eq!(au_6f65.entitlement_key, None);
}

/// The complex example in a zip. Its AU URLs are all absolute, so the zip of cmi5.xml alone is
/// accepted; with the URLs of the `courses.example.edu` AUs made relative, the package needs a
/// (dummy) file for each of them, and one missing file is named.
#[test]
fn spec_complex_example_as_package() {
    let xml = String::from_utf8(read_data("specs/complex-cmi5.xml")).unwrap();
    let zip_of = |xml: &str, files: &[String]| {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        writer.start_file("cmi5.xml", options).unwrap();
        writer.write_all(xml.as_bytes()).unwrap();
        for path in files {
            writer.start_file(path.as_str(), options).unwrap();
            writer.write_all(b"dummy").unwrap();
        }
        writer.finish().unwrap().into_inner()
    };
    let bytes = zip_of(&xml, &[]);
    let inspected = inspect_bytes(&bytes, &limits()).unwrap();
    assert_eq!(inspected.package().launchable_units().len(), 14);

    // Make the URLs under courses.example.edu relative (only inside <url>, not the ids).
    let prefix = "http://courses.example.edu/identifiers/courses/d07e186b/";
    let mut relative_xml = String::new();
    let mut rest = xml.as_str();
    while let Some(at) = rest.find("<url>") {
        let (before, from_url) = rest.split_at(at);
        let end = from_url.find("</url>").unwrap();
        relative_xml.push_str(before);
        relative_xml.push_str(&from_url[..end].replace(prefix, ""));
        rest = &from_url[end..];
    }
    relative_xml.push_str(rest);
    let relative: Vec<String> = parse_cmi5(relative_xml.as_bytes())
        .unwrap()
        .aus()
        .iter()
        .filter(|a| !a.url.starts_with("http"))
        .map(|a| a.url.clone())
        .collect();
    assert_eq!(relative.len(), 10);
    assert_eq!(relative[0], "blocks/001/aus/64f6/launch");

    let bytes = zip_of(&relative_xml, &relative);
    let inspected = inspect_bytes(&bytes, &limits()).unwrap();
    let units = inspected.package().launchable_units();
    assert_eq!(units.len(), 14);
    assert_eq!(units[0].launch, "blocks/001/aus/64f6/launch");
    assert_eq!(inspected.package().files().len(), 11);

    let bytes = zip_of(&relative_xml, &relative[1..]);
    match inspect_bytes(&bytes, &limits()).unwrap_err() {
        PackageRefusal::MissingFiles { missing, .. } => {
            assert_eq!(missing, vec!["blocks/001/aus/64f6/launch".to_string()])
        }
        other => panic!("unexpected refusal: {other}"),
    }
}
