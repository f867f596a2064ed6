//! Any bytes as a tenant's competency CSV: reading must never panic, and whatever it accepts has
//! unique codes, every parent and prerequisite among them, and at least one label per item.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_competency::framework::RelationKind;
use mycel_framework_import::read_competency_csv;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Ok(framework) = read_competency_csv(data, "fuzz.csv", "fuzz", "Fuzz") else {
        return;
    };
    let codes: HashSet<&str> = framework
        .competencies
        .iter()
        .map(|c| c.uri.as_str())
        .collect();
    assert_eq!(codes.len(), framework.competencies.len());
    assert!(framework.competencies.iter().all(|c| !c.labels.is_empty()));
    for relation in &framework.relations {
        assert!(codes.contains(relation.from.as_str()));
        assert_ne!(relation.from, relation.to);
        if relation.kind == RelationKind::Prerequisite {
            assert!(codes.contains(relation.to.as_str()));
        }
    }
});
