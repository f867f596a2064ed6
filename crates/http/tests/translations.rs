#![allow(clippy::unwrap_used, clippy::expect_used)]
//! German and English must both be complete: the same messages in both files, and every message
//! the code and templates ask for present in both.

use fluent_syntax::ast::Entry;
use std::collections::BTreeSet;
use std::path::Path;

fn message_ids(lang: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{lang}/main.ftl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let resource = fluent_syntax::parser::parse(text.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", path.display()));
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// The message ids a text asks for: arguments of `t.get(…)`, `t.with(…)`, `error_page(…)` and the
/// area and error key tables.
fn keys_used_in(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for opener in [
        "t.get(\"",
        "t.with(\"",
        "error_page(StatusCode::NOT_FOUND, \"",
        "error_page(StatusCode::FORBIDDEN, \"",
        "error_page(StatusCode::BAD_REQUEST, \"",
        "=> \"nav-",
        "=> \"error-",
        ", \"area-",
    ] {
        for piece in text.split(opener).skip(1) {
            let key: String = piece.chars().take_while(|c| *c != '"').collect();
            let key = if opener.ends_with("nav-") {
                format!("nav-{key}")
            } else if opener.ends_with("error-") {
                format!("error-{key}")
            } else if opener.ends_with("area-") {
                format!("area-{key}")
            } else {
                key
            };
            if key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                keys.push(key);
            }
        }
    }
    keys
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "html")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn german_and_english_have_the_same_messages() {
    let (de, en) = (message_ids("de"), message_ids("en"));
    assert!(en.len() > 50, "suspiciously few messages: {}", en.len());
    assert_eq!(
        de.difference(&en).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "only in German"
    );
    assert_eq!(
        en.difference(&de).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "only in English"
    );
}

#[test]
fn every_message_the_interface_asks_for_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("src/web"), &mut paths);
    files(&root.join("templates"), &mut paths);
    let known = message_ids("en");
    let mut used = BTreeSet::new();
    for path in &paths {
        for key in keys_used_in(&std::fs::read_to_string(path).unwrap()) {
            assert!(
                known.contains(&key),
                "{} asks for {key:?}, which is not translated",
                path.display()
            );
            used.insert(key);
        }
    }
    assert!(
        used.len() > 40,
        "the scan found too few keys ({}), so it no longer reads the code",
        used.len()
    );
    for role in mycel_organisation::AccessRole::ALL {
        let key = format!("role-{}", role.as_str());
        assert!(known.contains(&key), "{key} missing");
    }
}
