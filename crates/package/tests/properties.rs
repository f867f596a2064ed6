//! Property tests: entry names never escape, and no input makes inspection panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Write};
use std::path::{Component, Path};

use mycel_package::{inspect_bytes, normalise_entry_name, PackageLimits};
use proptest::prelude::*;

const CMI5: &str = r#"<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="urn:c"><title/><description/></course><au id="urn:a"><title/><description/><url>https://example.com/au</url></au></courseStructure>"#;

/// Names built from the pieces path tricks are made of.
fn tricky_name() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just("..".to_owned()),
        Just(".".to_owned()),
        Just(String::new()),
        Just("C:".to_owned()),
        Just("\\".to_owned()),
        Just("a\\..\\b".to_owned()),
        Just("\0".to_owned()),
        Just("~".to_owned()),
        "[a-z]{1,4}(\\.html)?",
        "\\PC{1,3}",
    ];
    (prop::bool::ANY, prop::collection::vec(segment, 1..5)).prop_map(|(leading, parts)| {
        let joined = parts.join("/");
        if leading {
            format!("/{joined}")
        } else {
            joined
        }
    })
}

fn small_limits() -> PackageLimits {
    PackageLimits {
        max_total_bytes: 1024 * 1024,
        max_file_bytes: 256 * 1024,
        max_entries: 64,
        max_compression_ratio: 100,
        ratio_threshold_bytes: 64 * 1024,
        max_manifest_bytes: 64 * 1024,
    }
}

/// Every file under `dir`, as paths relative to it.
fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        assert!(!kind.is_symlink());
        if kind.is_dir() {
            walk(&entry.path(), out);
        } else {
            out.push(entry.path());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever a name looks like, an accepted one is a plain relative path that stays under any
    /// directory it is joined to.
    #[test]
    fn normalised_names_stay_inside(name in tricky_name()) {
        if let Ok(normalised) = normalise_entry_name(&name) {
            let path = Path::new(&normalised.path);
            prop_assert!(path.components().all(|c| matches!(c, Component::Normal(_))), "{:?}", normalised);
            prop_assert!(!normalised.path.contains('\\'));
            prop_assert!(!normalised.path.chars().any(char::is_control));
            let base = Path::new("/srv/packages/p1");
            prop_assert!(base.join(path).starts_with(base));
            // Normalising twice changes nothing.
            prop_assert_eq!(normalise_entry_name(&normalised.path).unwrap().path, normalised.path.clone());
        } else {
            prop_assert!(
                name.contains("..") || name.starts_with('/') || name.contains('\\') || name.contains('\0')
                    || name.split('/').any(|s| {
                        // A drive, as on Windows: one ASCII letter and a colon.
                        let b = s.as_bytes();
                        b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
                    })
                    || name.split('/').all(|s| s.is_empty() || s == "."),
                "refused without a reason: {:?}", name
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Zips with tricky entry names: either refused, or extracted entirely inside the target.
    #[test]
    fn extraction_never_escapes_the_target(names in prop::collection::vec(tricky_name(), 1..5)) {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        writer.start_file("cmi5.xml", options).unwrap();
        writer.write_all(CMI5.as_bytes()).unwrap();
        for name in &names {
            if writer.start_file(name.as_str(), options).is_ok() {
                writer.write_all(b"payload").unwrap();
            }
        }
        let bytes = writer.finish().unwrap().into_inner();

        let sandbox = tempfile::tempdir().unwrap();
        let outer = sandbox.path().join("outer");
        std::fs::create_dir(&outer).unwrap();
        let target = outer.join("target");
        if let Ok(mut inspected) = inspect_bytes(&bytes, &small_limits()) {
            inspected.extract_to(&target).unwrap();
            let mut files = Vec::new();
            walk(sandbox.path(), &mut files);
            prop_assert!(files.iter().all(|f| f.starts_with(&target)), "{:?}", files);
            prop_assert_eq!(files.len(), inspected.package().files().len());
        } else {
            let mut files = Vec::new();
            walk(sandbox.path(), &mut files);
            prop_assert!(files.is_empty());
            prop_assert!(!target.exists());
        }
    }
}

fn valid_package() -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("imsmanifest.xml", options).unwrap();
    writer
        .write_all(br#"<manifest identifier="m"><organizations default="o"><organization identifier="o"><item identifier="i" identifierref="r"><title>T</title></item></organization></organizations><resources><resource identifier="r" href="index.html" adlcp:scormtype="sco" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><file href="index.html"/></resource></resources></manifest>"#)
        .unwrap();
    writer.start_file("index.html", options).unwrap();
    writer.write_all(&b"<html>hello</html>".repeat(50)).unwrap();
    writer.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes are refused without panicking.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = inspect_bytes(&bytes, &small_limits());
    }

    /// A valid package with random bytes changed: never a panic, and whatever is accepted stays
    /// within the limits and extracts exactly its files.
    #[test]
    fn mutated_packages_never_panic(changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = valid_package();
        for (index, value) in &changes {
            let at = index.index(bytes.len());
            bytes[at] = *value;
        }
        if let Ok(mut inspected) = inspect_bytes(&bytes, &small_limits()) {
            let package = inspected.package().clone();
            prop_assert!(package.total_size() <= small_limits().max_total_bytes);
            prop_assert!(!package.launchable_units().is_empty());
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("out");
            if inspected.extract_to(&target).is_ok() {
                let mut files = Vec::new();
                walk(&target, &mut files);
                prop_assert_eq!(files.len(), package.files().len());
            } else {
                prop_assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
            }
        }
    }
}

#[test]
fn the_unmutated_package_is_accepted() {
    // The mutation test above starts from a package that is accepted as it is.
    let bytes = valid_package();
    let inspected = inspect_bytes(&bytes, &small_limits()).unwrap();
    assert_eq!(
        inspected.package().launchable_units()[0].launch,
        "index.html"
    );
}
