//! Any bytes as a statement (or a batch): parsing, validation under both versions, the facts an
//! LRS derives, the `ids` and `canonical` formats, and preparation for storage must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_xapi::{StatementFacts, XapiVersion};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    for version in [XapiVersion::V1_0_3, XapiVersion::V2_0] {
        let _ = mycel_xapi::validate_batch(&value, version);
        if let Ok(facts) = StatementFacts::from_statement(&value, version) {
            let _ = facts.direct_agents();
            let _ = mycel_xapi::format_ids(&value);
            let _ = mycel_xapi::format_canonical(&value, &["de-DE".to_owned()]);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = mycel_xapi::parse_agent_param(text);
    }
});
