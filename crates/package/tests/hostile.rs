//! Hostile and broken packages, built here with the zip writer: each is refused with its own
//! reason, and nothing is left on disk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::rc::Rc;

use mycel_package::{
    inspect, inspect_bytes, ExtractError, PackageKind, PackageLimits, PackageRefusal,
};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

const CMI5_NS: &str = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd";

fn cmi5_xml(url: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="{CMI5_NS}">
  <course id="urn:test:course"><title><langstring lang="en">Test</langstring></title><description><langstring lang="en">D</langstring></description></course>
  <au id="urn:test:au1" moveOn="Completed"><title><langstring lang="en">AU</langstring></title><description><langstring lang="en">D</langstring></description><url>{url}</url></au>
</courseStructure>"#
    )
}

fn scorm_manifest(resource: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="i1" identifierref="r1"><title>One</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
  </organization></organizations>
  <resources>{resource}</resources>
</manifest>"#
    )
}

const GOOD_RESOURCE: &str = r#"<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource>"#;

/// A zip of (name, content) pairs, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        if name.ends_with('/') {
            writer.add_directory(*name, options).unwrap();
        } else {
            writer.start_file(*name, options).unwrap();
            writer.write_all(data).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

fn valid_cmi5_entries() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("cmi5.xml", cmi5_xml("index.html").into_bytes()),
        ("index.html", b"<html>hello</html>".to_vec()),
    ]
}

fn with(mut entries: Vec<(&'static str, Vec<u8>)>, extra: (&'static str, Vec<u8>)) -> Vec<u8> {
    entries.push(extra);
    let borrowed: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_slice())).collect();
    zip_of(&borrowed)
}

/// Inspects and, if that passes, extracts; returns the refusal and checks that nothing is left in
/// the directory the target would have been created in.
fn refused(bytes: &[u8], limits: &PackageLimits) -> PackageRefusal {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let refusal = match inspect_bytes(bytes, limits) {
        Err(refusal) => refusal,
        Ok(mut inspected) => match inspected.extract_to(&target) {
            Err(ExtractError::Refused(refusal)) => refusal,
            Err(other) => panic!("extraction failed otherwise: {other}"),
            Ok(()) => panic!("the package was accepted: {}", inspected.package()),
        },
    };
    assert_nothing_left(dir.path());
    refusal
}

fn assert_nothing_left(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Byte offsets of every local header and central directory header of a zip.
fn headers(bytes: &[u8]) -> (Vec<usize>, Vec<usize>) {
    let find = |sig: &[u8]| -> Vec<usize> {
        bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == sig)
            .map(|(i, _)| i)
            .collect()
    };
    (find(b"PK\x03\x04"), find(b"PK\x01\x02"))
}

fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// Changes the uncompressed size the headers of the first entry declare.
fn lie_about_size(bytes: &mut [u8], declared: u32) {
    let (local, central) = headers(bytes);
    put_u32(bytes, local[0] + 22, declared);
    put_u32(bytes, central[0] + 24, declared);
}

#[test]
fn a_valid_package_passes_the_same_helpers() {
    // The baseline every hostile variant below departs from is accepted.
    let bytes = with(valid_cmi5_entries(), ("extra.txt", b"fine".to_vec()));
    let mut inspected = inspect_bytes(&bytes, &PackageLimits::default()).unwrap();
    assert_eq!(inspected.package().kind(), PackageKind::Cmi5);
    assert_eq!(inspected.package().files().len(), 3);
    let dir = tempfile::tempdir().unwrap();
    inspected.extract_to(&dir.path().join("out")).unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("out/extra.txt")).unwrap(),
        b"fine"
    );
}

#[test]
fn zip_slip() {
    for name in [
        "../evil.html",
        "a/../../evil.html",
        "ok/../../../etc/cron.d/x",
    ] {
        let bytes = with(valid_cmi5_entries(), (name, b"pwned".to_vec()));
        match refused(&bytes, &PackageLimits::default()) {
            PackageRefusal::PathEscapes { entry } => assert_eq!(entry, name),
            other => panic!("{name}: unexpected refusal {other}"),
        }
    }
    let bytes = with(valid_cmi5_entries(), ("../evil.html", b"x".to_vec()));
    assert_eq!(
        refused(&bytes, &PackageLimits::default()).to_string(),
        "entry \"../evil.html\" climbs out of the package with a \"..\" component (zip slip)"
    );
}

#[test]
fn absolute_paths() {
    for name in [
        "/etc/passwd",
        "C:\\Windows\\evil.dll",
        "C:evil",
        "\\\\server\\share\\x",
    ] {
        let bytes = with(valid_cmi5_entries(), (name, b"x".to_vec()));
        match refused(&bytes, &PackageLimits::default()) {
            PackageRefusal::AbsolutePath { entry } => assert_eq!(entry, name),
            other => panic!("{name}: unexpected refusal {other}"),
        }
    }
}

#[test]
fn backslashes_and_control_characters() {
    let bytes = with(valid_cmi5_entries(), ("a\\..\\..\\evil", b"x".to_vec()));
    assert!(matches!(
        refused(&bytes, &PackageLimits::default()),
        PackageRefusal::Backslash { .. }
    ));
    let bytes = with(valid_cmi5_entries(), ("index.html\0.jpg", b"x".to_vec()));
    assert!(matches!(
        refused(&bytes, &PackageLimits::default()),
        PackageRefusal::ControlCharacter { .. }
    ));
}

#[test]
fn symlink_entry() {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for (name, data) in valid_cmi5_entries() {
        writer.start_file(name, options).unwrap();
        writer.write_all(&data).unwrap();
    }
    writer.add_symlink("js", "/etc", options).unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::Symlink { entry } => assert_eq!(entry, "js"),
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn special_file_entry() {
    let mut bytes = with(valid_cmi5_entries(), ("fifo", Vec::new()));
    // External attributes of the third central directory entry: a FIFO (S_IFIFO | 0644).
    let (_, central) = headers(&bytes);
    put_u32(&mut bytes, central[2] + 38, (0o010_644u32) << 16);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::SpecialFile { entry } => assert_eq!(entry, "fifo"),
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn encrypted_entry() {
    let mut bytes = with(valid_cmi5_entries(), ("secret.txt", b"hidden".to_vec()));
    // Set bit 0 (encrypted) of the general purpose flags of the third entry.
    let (local, central) = headers(&bytes);
    bytes[local[2] + 6] |= 1;
    bytes[central[2] + 8] |= 1;
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::Encrypted { entry } => assert_eq!(entry, "secret.txt"),
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn duplicates_after_normalisation_and_file_folder_conflicts() {
    let bytes = with(valid_cmi5_entries(), ("./index.html", b"other".to_vec()));
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::DuplicateEntry { entry, first, path } => {
            assert_eq!(
                (entry.as_str(), first.as_str(), path.as_str()),
                ("./index.html", "index.html", "index.html")
            );
        }
        other => panic!("unexpected refusal {other}"),
    }
    let bytes = with(valid_cmi5_entries(), ("index.html/x.js", b"x".to_vec()));
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::FileFolderConflict { path } => assert_eq!(path, "index.html"),
        other => panic!("unexpected refusal {other}"),
    }
    // Names differing only in case are different files (case-sensitive).
    let bytes = with(valid_cmi5_entries(), ("INDEX.html", b"x".to_vec()));
    assert!(inspect_bytes(&bytes, &PackageLimits::default()).is_ok());
}

/// 16 MiB of zeros deflates to about 16 KiB: a 1000:1 bomb.
fn bomb_entries() -> Vec<(&'static str, Vec<u8>)> {
    let mut entries = valid_cmi5_entries();
    entries.push(("video.mp4", vec![0u8; 16 * 1024 * 1024]));
    entries
}

fn bomb_zip() -> Vec<u8> {
    let entries = bomb_entries();
    let borrowed: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_slice())).collect();
    zip_of(&borrowed)
}

#[test]
fn zip_bomb_by_ratio() {
    match refused(&bomb_zip(), &PackageLimits::default()) {
        PackageRefusal::CompressionRatio {
            entry,
            size,
            ratio,
            max,
            ..
        } => {
            assert_eq!(entry, "video.mp4");
            assert_eq!(size, 16 * 1024 * 1024);
            assert!(ratio > 100, "{ratio}");
            assert_eq!(max, 100);
        }
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn zip_bomb_by_declared_sizes() {
    let bytes = bomb_zip();
    let lenient_ratio = PackageLimits {
        max_compression_ratio: 10_000,
        ..PackageLimits::default()
    };
    let small_file = PackageLimits {
        max_file_bytes: 4 * 1024 * 1024,
        ..lenient_ratio
    };
    match refused(&bytes, &small_file) {
        PackageRefusal::DeclaredFileTooLarge { entry, size, max } => {
            assert_eq!(
                (entry.as_str(), size, max),
                ("video.mp4", 16 * 1024 * 1024, 4 * 1024 * 1024)
            );
        }
        other => panic!("unexpected refusal {other}"),
    }
    let small_total = PackageLimits {
        max_total_bytes: 8 * 1024 * 1024,
        ..lenient_ratio
    };
    assert!(matches!(
        refused(&bytes, &small_total),
        PackageRefusal::DeclaredTotalTooLarge { .. }
    ));
    // Within all limits the same zip is accepted.
    assert!(inspect_bytes(&bytes, &lenient_ratio).is_ok());
}

/// The header says 1,000 bytes; the entry really inflates to 16 MiB. Reading stops at the lie.
#[test]
fn zip_bomb_with_a_lying_header() {
    let mut entries = bomb_entries();
    entries.rotate_right(1); // the bomb first, so it is the first header
    let borrowed: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_slice())).collect();
    let mut bytes = zip_of(&borrowed);
    lie_about_size(&mut bytes, 1000);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::LargerThanDeclared { entry, declared } => {
            assert_eq!((entry.as_str(), declared), ("video.mp4", 1000));
        }
        other => panic!("unexpected refusal {other}"),
    }
    // A header that declares more than there is, too.
    let mut bytes = zip_of(&[
        ("index.html", b"<html>short</html>"),
        ("cmi5.xml", cmi5_xml("index.html").as_bytes()),
    ]);
    lie_about_size(&mut bytes, 500);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::SmallerThanDeclared {
            entry,
            declared,
            actual,
        } => {
            assert_eq!((entry.as_str(), declared, actual), ("index.html", 500, 18));
        }
        other => panic!("unexpected refusal {other}"),
    }
}

/// Real bytes are counted, not the headers: the last file declares 10 bytes, so the declared
/// total is under the 1 MiB limit while the real total is 1.2 MiB. Reading stops at the lie, long
/// before the real total would pass the limit.
#[test]
fn actual_bytes_are_counted_not_the_headers() {
    // Four 300 KiB files of noise (incompressible, so no ratio refusal).
    let noise: Vec<u8> = (0u32..300 * 1024)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut entries = valid_cmi5_entries();
    for name in ["a.bin", "b.bin", "c.bin", "d.bin"] {
        entries.push((name, noise.clone()));
    }
    let borrowed: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_slice())).collect();
    let mut bytes = zip_of(&borrowed);
    let limits = PackageLimits {
        max_total_bytes: 1024 * 1024,
        ..PackageLimits::default()
    };
    assert!(matches!(
        refused(&bytes, &limits),
        PackageRefusal::DeclaredTotalTooLarge { .. }
    ));
    let (local, central) = headers(&bytes);
    put_u32(&mut bytes, local[5] + 22, 10);
    put_u32(&mut bytes, central[5] + 24, 10);
    match refused(&bytes, &limits) {
        PackageRefusal::LargerThanDeclared { entry, declared } => {
            assert_eq!((entry.as_str(), declared), ("d.bin", 10));
        }
        other => panic!("unexpected refusal {other}"),
    }
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
"#;

#[test]
fn entity_expansion_in_cmi5_xml() {
    let xml = format!(
        "{BILLION_LAUGHS}{}",
        cmi5_xml("index.html")
            .replace(r#"<?xml version="1.0" encoding="utf-8"?>"#, "")
            .replace(
                "<langstring lang=\"en\">Test</langstring>",
                "<langstring lang=\"en\">&lol9;</langstring>"
            )
    );
    let bytes = zip_of(&[("cmi5.xml", xml.as_bytes()), ("index.html", b"x")]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::EntityDeclaration { file } => assert_eq!(file, "cmi5.xml"),
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn entity_expansion_in_imsmanifest_xml() {
    let xml = format!(
        "{BILLION_LAUGHS}{}",
        scorm_manifest(GOOD_RESOURCE)
            .replace(r#"<?xml version="1.0"?>"#, "")
            .replace("<title>One</title>", "<title>&lol9;</title>")
    );
    let bytes = zip_of(&[("imsmanifest.xml", xml.as_bytes()), ("index.html", b"x")]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::EntityDeclaration { file } => assert_eq!(file, "imsmanifest.xml"),
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn external_entities_and_dtds() {
    let xxe = scorm_manifest(GOOD_RESOURCE).replace(
        r#"<?xml version="1.0"?>"#,
        r#"<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#,
    ).replace("<title>One</title>", "<title>&xxe;</title>");
    let bytes = zip_of(&[("imsmanifest.xml", xxe.as_bytes()), ("index.html", b"x")]);
    assert!(matches!(
        refused(&bytes, &PackageLimits::default()),
        PackageRefusal::EntityDeclaration { .. }
    ));
    let external_dtd = scorm_manifest(GOOD_RESOURCE).replace(
        r#"<?xml version="1.0"?>"#,
        r#"<?xml version="1.0"?><!DOCTYPE manifest SYSTEM "http://attacker.example/evil.dtd">"#,
    );
    let bytes = zip_of(&[
        ("imsmanifest.xml", external_dtd.as_bytes()),
        ("index.html", b"x"),
    ]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::ExternalDtd { file } => assert_eq!(file, "imsmanifest.xml"),
        other => panic!("unexpected refusal {other}"),
    }
    // An entity used without any declaration is an error too, not an empty string.
    let undeclared =
        scorm_manifest(GOOD_RESOURCE).replace("<title>One</title>", "<title>&xxe;</title>");
    let bytes = zip_of(&[
        ("imsmanifest.xml", undeclared.as_bytes()),
        ("index.html", b"x"),
    ]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::ManifestParse {
            file,
            line,
            message,
            ..
        } => {
            assert_eq!(file, "imsmanifest.xml");
            assert_eq!(line, 5);
            assert!(message.contains("&xxe;"), "{message}");
        }
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn missing_referenced_files_are_listed() {
    let resource = r#"<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="start.html">
        <file href="start.html"/><file href="index.html"/><file href="img/logo%20big.png"/></resource>"#;
    let bytes = zip_of(&[
        ("imsmanifest.xml", scorm_manifest(resource).as_bytes()),
        ("index.html", b"x"),
    ]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::MissingFiles { file, missing } => {
            assert_eq!(file, "imsmanifest.xml");
            assert_eq!(
                missing,
                vec!["start.html".to_string(), "img/logo big.png".to_string()]
            );
        }
        other => panic!("unexpected refusal {other}"),
    }
    // cmi5: a relative AU url must exist; an absolute one need not.
    let bytes = zip_of(&[("cmi5.xml", cmi5_xml("content/start.html?x=1").as_bytes())]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::MissingFiles { missing, .. } => {
            assert_eq!(missing, vec!["content/start.html".to_string()])
        }
        other => panic!("unexpected refusal {other}"),
    }
    let bytes = zip_of(&[(
        "cmi5.xml",
        cmi5_xml("https://content.example.com/au").as_bytes(),
    )]);
    assert!(inspect_bytes(&bytes, &PackageLimits::default()).is_ok());
}

#[test]
fn references_outside_the_package_and_script_urls() {
    let bytes = zip_of(&[("cmi5.xml", cmi5_xml("../../etc/passwd").as_bytes())]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::ReferenceOutsidePackage { reference, .. } => {
            assert_eq!(reference, "../../etc/passwd")
        }
        other => panic!("unexpected refusal {other}"),
    }
    let bytes = zip_of(&[("cmi5.xml", cmi5_xml("javascript:alert(1)").as_bytes())]);
    assert!(matches!(
        refused(&bytes, &PackageLimits::default()),
        PackageRefusal::InvalidManifest { .. }
    ));
}

#[test]
fn no_manifest() {
    let bytes = zip_of(&[
        ("index.html", b"x"),
        ("course/imsmanifest.xml", b"<manifest/>"),
        ("other/a.js", b"x"),
    ]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::NoManifest { single_folder } => assert_eq!(single_folder, None),
        other => panic!("unexpected refusal {other}"),
    }
    let bytes = zip_of(&[("Course/index.html", b"x")]);
    let refusal = refused(&bytes, &PackageLimits::default());
    assert_eq!(
        refusal.to_string(),
        "no cmi5.xml and no imsmanifest.xml at the root of the package (looked at the root and inside its single folder \"Course\"); this is not a cmi5 or SCORM package"
    );
}

#[test]
fn garbage_and_empty_input() {
    for bytes in [
        b"this is not a zip at all".to_vec(),
        Vec::new(),
        vec![0x50, 0x4b, 0x05, 0x06],
    ] {
        assert!(matches!(
            refused(&bytes, &PackageLimits::default()),
            PackageRefusal::NotAZip { .. }
        ));
    }
    // A truncated real zip.
    let bytes = with(valid_cmi5_entries(), ("a.txt", b"abc".to_vec()));
    assert!(matches!(
        refused(&bytes[..bytes.len() / 2], &PackageLimits::default()),
        PackageRefusal::NotAZip { .. }
    ));
}

#[test]
fn corrupt_entry_data() {
    let mut bytes = zip_of(&[
        ("cmi5.xml", cmi5_xml("index.html").as_bytes()),
        ("index.html", &[b'a'; 2000]),
    ]);
    // Damage the stored CRC of index.html in both headers.
    let (local, central) = headers(&bytes);
    bytes[local[1] + 14] ^= 0xff;
    bytes[central[1] + 16] ^= 0xff;
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::CorruptEntry { entry, .. } => assert_eq!(entry, "index.html"),
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..12).map(|i| format!("f{i}.txt")).collect();
    let mut entries: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), b"x".as_slice()))
        .collect();
    let xml = cmi5_xml("f0.txt");
    entries.push(("cmi5.xml", xml.as_bytes()));
    let bytes = zip_of(&entries);
    let limits = PackageLimits {
        max_entries: 10,
        ..PackageLimits::default()
    };
    match refused(&bytes, &limits) {
        PackageRefusal::TooManyEntries { count, max } => assert_eq!((count, max), (13, 10)),
        other => panic!("unexpected refusal {other}"),
    }
    assert!(inspect_bytes(&bytes, &PackageLimits::default()).is_ok());
}

#[test]
fn no_launchable_unit() {
    let manifest = scorm_manifest(GOOD_RESOURCE).replace(r#" identifierref="r1""#, "");
    let bytes = zip_of(&[
        ("imsmanifest.xml", manifest.as_bytes()),
        ("index.html", b"x"),
    ]);
    assert!(matches!(
        refused(&bytes, &PackageLimits::default()),
        PackageRefusal::NoLaunchableUnit { .. }
    ));
    // A cmi5 course without an AU breaks the schema already: every block needs an AU or a block.
    let course = format!(
        r#"<courseStructure xmlns="{CMI5_NS}"><course id="urn:c"><title/><description/></course><block id="urn:b"><title/><description/></block></courseStructure>"#
    );
    let bytes = zip_of(&[("cmi5.xml", course.as_bytes())]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::InvalidManifest { file, message } => {
            assert_eq!(file, "cmi5.xml");
            assert!(
                message.starts_with("<au> or <block> is missing in the block \"urn:b\""),
                "{message}"
            );
        }
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn manifest_parse_errors_name_the_position() {
    let broken = cmi5_xml("index.html").replace("</course>", "</courze>");
    let bytes = zip_of(&[
        ("Course/cmi5.xml", broken.as_bytes()),
        ("Course/index.html", b"x"),
    ]);
    match refused(&bytes, &PackageLimits::default()) {
        PackageRefusal::ManifestParse {
            file,
            line,
            column,
            message,
        } => {
            assert_eq!(file, "Course/cmi5.xml");
            assert_eq!(line, 3);
            assert!(column > 1, "{column}");
            assert!(message.contains("courze"), "{message}");
        }
        other => panic!("unexpected refusal {other}"),
    }
}

#[test]
fn manifest_size_is_capped() {
    let padded =
        cmi5_xml("index.html").replace("<course ", &format!("<!--{}--><course ", "x".repeat(5000)));
    let bytes = zip_of(&[("cmi5.xml", padded.as_bytes()), ("index.html", b"x")]);
    let limits = PackageLimits {
        max_manifest_bytes: 4096,
        ..PackageLimits::default()
    };
    assert!(matches!(
        refused(&bytes, &limits),
        PackageRefusal::ManifestTooLarge { .. }
    ));
}

/// A zip made by zipping a folder: everything under `Course/`, plus macOS metadata.
#[test]
fn single_top_level_folder_is_the_root() {
    let manifest = scorm_manifest(GOOD_RESOURCE);
    let bytes = zip_of(&[
        ("Course/", b""),
        ("Course/imsmanifest.xml", manifest.as_bytes()),
        ("Course/index.html", b"<html></html>"),
        ("Course/js/app.js", b"let x = 1;"),
        ("__MACOSX/Course/._index.html", b"junk"),
    ]);
    let mut inspected = inspect_bytes(&bytes, &PackageLimits::default()).unwrap();
    let package = inspected.package();
    assert_eq!(package.kind(), PackageKind::Scorm12);
    assert_eq!(package.root_folder(), Some("Course"));
    let paths: Vec<&str> = package.files().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["imsmanifest.xml", "index.html", "js/app.js"]);
    let units = package.launchable_units();
    assert_eq!(units[0].launch, "index.html");
    assert_eq!(units[0].mastery_score, Some(0.8));
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("pkg");
    inspected.extract_to(&target).unwrap();
    assert_eq!(
        std::fs::read(target.join("js/app.js")).unwrap(),
        b"let x = 1;"
    );
    assert!(!target.join("Course").exists());
    assert!(!target.join("__MACOSX").exists());
}

#[test]
fn extraction_never_replaces_an_existing_directory() {
    let bytes = with(valid_cmi5_entries(), ("a.txt", b"new".to_vec()));
    let mut inspected = inspect_bytes(&bytes, &PackageLimits::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep.txt"), b"old").unwrap();
    assert!(matches!(
        inspected.extract_to(&target),
        Err(ExtractError::TargetExists(_))
    ));
    assert_eq!(std::fs::read(target.join("keep.txt")).unwrap(), b"old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A source whose bytes can be swapped after inspection (a file replaced on disk).
#[derive(Debug, Clone)]
struct Swappable {
    data: Rc<RefCell<Vec<u8>>>,
    position: u64,
}

impl Read for Swappable {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let data = self.data.borrow();
        let start = usize::try_from(self.position).unwrap().min(data.len());
        let n = buf.len().min(data.len() - start);
        buf[..n].copy_from_slice(&data[start..start + n]);
        self.position += n as u64;
        Ok(n)
    }
}

impl Seek for Swappable {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        let len = self.data.borrow().len() as i64;
        let new = match pos {
            SeekFrom::Start(p) => p as i64,
            SeekFrom::End(d) => len + d,
            SeekFrom::Current(d) => self.position as i64 + d,
        };
        self.position = u64::try_from(new).map_err(|_| std::io::Error::other("negative seek"))?;
        Ok(self.position)
    }
}

/// The bytes change between inspection and extraction: the last file's data no longer matches
/// its CRC. Extraction is refused part-way, and the files already written are removed.
#[test]
fn extraction_rechecks_and_leaves_nothing_on_failure() {
    let mut entries = valid_cmi5_entries();
    entries.push(("a/one.txt", vec![b'1'; 5000]));
    entries.push(("b/two.txt", vec![b'2'; 5000]));
    let borrowed: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_slice())).collect();
    let bytes = zip_of(&borrowed);
    let data = Rc::new(RefCell::new(bytes.clone()));
    let source = Swappable {
        data: Rc::clone(&data),
        position: 0,
    };
    let mut inspected = inspect(source, &PackageLimits::default()).unwrap();

    let (local, _) = headers(&bytes);
    let last = local[3];
    let name_len = u16::from_le_bytes([bytes[last + 26], bytes[last + 27]]) as usize;
    let data_start = last + 30 + name_len;
    data.borrow_mut()[data_start + 2] ^= 0x55;

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    match inspected.extract_to(&target) {
        Err(ExtractError::Refused(PackageRefusal::CorruptEntry { entry, .. })) => {
            assert_eq!(entry, "b/two.txt")
        }
        other => panic!("unexpected result {other:?}"),
    }
    assert_nothing_left(dir.path());
}
