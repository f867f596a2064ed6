//! Any bytes as a CASE package: reading must never panic, and whatever it imports hangs together
//! (unique URIs, relations from items of the package, broader and prerequisite relations within it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_framework_import::read_case;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Ok((framework, _deviations)) = read_case(data, "fuzz.json") else {
        return;
    };
    assert!(!framework.competencies.is_empty());
    let uris: HashSet<&str> = framework
        .competencies
        .iter()
        .map(|c| c.uri.as_str())
        .collect();
    assert_eq!(uris.len(), framework.competencies.len());
    for relation in &framework.relations {
        assert!(uris.contains(relation.from.as_str()));
        assert_ne!(relation.from, relation.to);
        if matches!(
            relation.kind,
            mycel_competency::framework::RelationKind::Broader
                | mycel_competency::framework::RelationKind::Prerequisite
        ) {
            assert!(uris.contains(relation.to.as_str()));
        }
    }
});
