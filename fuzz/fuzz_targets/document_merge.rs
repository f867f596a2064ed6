//! Any two JSON documents merged as a POST to a document resource does: never a panic, and a merge
//! of two objects keeps every key of the incoming one.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mid = data.len() / 2;
    let (Ok(stored), Ok(incoming)) = (
        serde_json::from_slice::<serde_json::Value>(&data[..mid]),
        serde_json::from_slice::<serde_json::Value>(&data[mid..]),
    ) else {
        return;
    };
    if let Ok(merged) = mycel_xapi::merge_documents(&stored, &incoming) {
        if let (Some(merged), Some(incoming)) = (merged.as_object(), incoming.as_object()) {
            assert!(incoming.keys().all(|k| merged.contains_key(k)));
        }
    }
});
