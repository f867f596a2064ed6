//! How much a package may hold.

/// Limits an upload is inspected (and extracted) under. All sizes are uncompressed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageLimits {
    /// All files together. Default 2 GiB.
    pub max_total_bytes: u64,
    /// One file. Default 500 MiB.
    pub max_file_bytes: u64,
    /// Entries in the zip, folders included. Default 10,000.
    pub max_entries: usize,
    /// Uncompressed size divided by compressed size, for files over `ratio_threshold_bytes`.
    /// Default 100 (100:1).
    pub max_compression_ratio: u64,
    /// Files up to this size may compress as well as they like (small text files often do better
    /// than 100:1). Default 1 MiB.
    pub ratio_threshold_bytes: u64,
    /// The manifest (`cmi5.xml` / `imsmanifest.xml`), which is held in memory to be parsed.
    /// Default 16 MiB.
    pub max_manifest_bytes: u64,
}

const MIB: u64 = 1024 * 1024;

impl Default for PackageLimits {
    fn default() -> Self {
        PackageLimits {
            max_total_bytes: 2 * 1024 * MIB,
            max_file_bytes: 500 * MIB,
            max_entries: 10_000,
            max_compression_ratio: 100,
            ratio_threshold_bytes: MIB,
            max_manifest_bytes: 16 * MIB,
        }
    }
}
