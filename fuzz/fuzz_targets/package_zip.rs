//! Any bytes as an uploaded e-learning package: inspecting must never panic, and whatever it
//! accepts stays within the limits, has safe relative paths and something to launch.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_package::{inspect_bytes, PackageLimits};

fuzz_target!(|data: &[u8]| {
    let limits = PackageLimits {
        max_total_bytes: 4 * 1024 * 1024,
        max_file_bytes: 1024 * 1024,
        max_entries: 256,
        max_compression_ratio: 100,
        ratio_threshold_bytes: 64 * 1024,
        max_manifest_bytes: 256 * 1024,
    };
    let Ok(inspected) = inspect_bytes(data, &limits) else {
        return;
    };
    let package = inspected.package();
    assert!(package.total_size() <= limits.max_total_bytes);
    assert!(!package.launchable_units().is_empty());
    for file in package.files() {
        assert!(file.size <= limits.max_file_bytes);
        assert!(!file.path.is_empty() && !file.path.starts_with('/'));
        assert!(!file.path.contains('\\') && !file.path.contains('\0'));
        assert!(file
            .path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".."));
    }
    let _ = package.to_string();
});
