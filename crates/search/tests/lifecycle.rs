#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::*;
use mycel_search::{OpenStatus, SearchIndex, DATA_DIR, SCHEMA_VERSION, VERSION_FILE};

#[test]
fn reopen_keeps_documents_and_commit_marker() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.open_status(), &OpenStatus::Created);
        assert!(index.open_status().needs_full_reindex());
        assert_eq!(index.commit_marker().unwrap(), None);
        index.replace_all(catalogue(), Some("feed:41")).unwrap();
        index.remove(SCRIPT).unwrap();
        index.set_commit_marker("feed:42").unwrap();
    }
    let version = std::fs::read_to_string(dir.path().join(VERSION_FILE)).unwrap();
    assert_eq!(version.trim(), SCHEMA_VERSION.to_string());
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.open_status(), &OpenStatus::Opened);
    assert!(!index.open_status().needs_full_reindex());
    assert_eq!(index.commit_marker().unwrap().as_deref(), Some("feed:42"));
    assert_eq!(index.num_documents(), 6);
    assert_eq!(ids(&index, &query("Gabelstapler", TENANT_A)), vec![FORK]);
    assert!(ids(&index, &query("script", TENANT_A)).is_empty());
    // Writes work after reopening.
    index.remove(FORK).unwrap();
    assert!(ids(&index, &query("Gabelstapler", TENANT_A)).is_empty());
}

#[test]
fn another_schema_version_rebuilds_empty() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index.replace_all(catalogue(), Some("7")).unwrap();
    }
    std::fs::write(dir.path().join(VERSION_FILE), "0\n").unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(
        index.open_status(),
        &OpenStatus::Rebuilt {
            previous_version: Some(0)
        }
    );
    assert!(index.open_status().needs_full_reindex());
    assert_eq!(index.num_documents(), 0);
    assert_eq!(index.commit_marker().unwrap(), None);
    let version = std::fs::read_to_string(dir.path().join(VERSION_FILE)).unwrap();
    assert_eq!(version.trim(), SCHEMA_VERSION.to_string());
    drop(index);
    // And the rebuilt index is opened as it is next time.
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.open_status(), &OpenStatus::Opened);
}

#[test]
fn missing_or_garbled_version_file_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index.replace_all(catalogue(), None).unwrap();
    }
    std::fs::write(dir.path().join(VERSION_FILE), "not a number").unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(
        index.open_status(),
        &OpenStatus::Rebuilt {
            previous_version: None
        }
    );
    assert_eq!(index.num_documents(), 0);
    drop(index);
    std::fs::remove_file(dir.path().join(VERSION_FILE)).unwrap();
    assert!(dir.path().join(DATA_DIR).join("meta.json").exists());
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(index.open_status().needs_full_reindex());
}

#[test]
fn a_second_open_of_the_same_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _first = SearchIndex::open(dir.path()).unwrap();
    let second = SearchIndex::open(dir.path());
    let error = second.unwrap_err().to_string();
    assert!(error.contains("start the writer"), "{error}");
}

#[test]
fn searches_and_writes_from_many_threads() {
    let index = Arc::new(index());
    let mut handles = Vec::new();
    for i in 0..4u128 {
        let index = Arc::clone(&index);
        handles.push(std::thread::spawn(move || {
            let mut doc = catalogue()[0].clone();
            doc.id = uuid::Uuid::from_u128(1000 + i);
            index.upsert(&doc).unwrap();
            index
                .search(&query("Gabelstapler", TENANT_A))
                .unwrap()
                .total
        }));
    }
    for handle in handles {
        assert!(handle.join().unwrap() >= 2);
    }
    assert_eq!(
        index
            .search(&query("Gabelstapler", TENANT_A))
            .unwrap()
            .total,
        5
    );
}
