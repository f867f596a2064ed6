//! Errors of this crate.
//!
//! [`PackageRefusal`] is the one reason a package is not accepted: every variant names the zip entry
//! or manifest it is about, and its `Display` is a sentence an L&D admin can act on. Entry names are
//! shown with `{:?}` so that control characters or odd bytes in a hostile name cannot disguise it.
//! [`ExtractError`] adds what can go wrong while writing an inspected package to disk.

use std::path::PathBuf;

/// Why a package was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackageRefusal {
    /// The upload could not be read at all (an I/O error of the source).
    #[error("the package could not be read: {0}")]
    Io(#[from] std::io::Error),

    /// An upload that is neither a zip (it does not start with `PK`) nor XML (it does not start
    /// with `<`, after an optional byte order mark and whitespace): see [`crate::UploadForm`].
    #[error("neither a zip package nor a cmi5 course structure (cmi5.xml)")]
    NotAPackage,

    /// The bytes are not a zip archive, or its central directory is damaged.
    #[error("the package is not a readable zip file: {reason}")]
    NotAZip { reason: String },

    /// One entry could not be read (bad local header, CRC mismatch, unsupported compression).
    #[error("entry {entry:?} of the zip is damaged or unreadable: {reason}")]
    CorruptEntry { entry: String, reason: String },

    /// More entries than [`crate::PackageLimits::max_entries`].
    #[error("the zip has {count} entries; at most {max} are accepted")]
    TooManyEntries { count: usize, max: usize },

    /// An entry name with a `..` component: it would be written outside the package (zip slip).
    #[error("entry {entry:?} climbs out of the package with a \"..\" component (zip slip)")]
    PathEscapes { entry: String },

    /// An absolute entry name (`/x`, `C:\x`, `C:x`, `\\server\x`).
    #[error("entry {entry:?} has an absolute path; entries must be relative to the package")]
    AbsolutePath { entry: String },

    /// A backslash in an entry name (Windows separators would let a name mean two paths).
    #[error("entry {entry:?} contains a backslash; zip entries must use \"/\" as separator")]
    Backslash { entry: String },

    /// A NUL byte or another control character in an entry name.
    #[error("entry {entry:?} contains a NUL byte or control character in its name")]
    ControlCharacter { entry: String },

    /// An entry name that is empty or names only the root.
    #[error("entry {entry:?} has an empty name")]
    EmptyName { entry: String },

    /// A symbolic link entry (unix mode `S_IFLNK` in the external attributes).
    #[error("entry {entry:?} is a symbolic link; links are not accepted in packages")]
    Symlink { entry: String },

    /// A device, FIFO or socket entry.
    #[error("entry {entry:?} is a special file (device, FIFO or socket), not a regular file")]
    SpecialFile { entry: String },

    /// Two entries that name the same file once their paths are normalised.
    #[error("entries {first:?} and {entry:?} are the same file {path:?} once normalised")]
    DuplicateEntry {
        entry: String,
        first: String,
        path: String,
    },

    /// A path that is a file in one entry and a folder of another entry.
    #[error("{path:?} is both a file and a folder in the zip")]
    FileFolderConflict { path: String },

    /// An encrypted entry.
    #[error("entry {entry:?} is encrypted; packages must not be password protected")]
    Encrypted { entry: String },

    /// An entry whose header declares more than the per-file limit.
    #[error("entry {entry:?} declares {size} bytes uncompressed; at most {max} bytes per file are accepted")]
    DeclaredFileTooLarge { entry: String, size: u64, max: u64 },

    /// The declared sizes of all entries add up to more than the total limit.
    #[error("the entries declare {size} bytes in all (reached at entry {entry:?}); at most {max} bytes are accepted")]
    DeclaredTotalTooLarge { entry: String, size: u64, max: u64 },

    /// An entry that really decompresses to more than the per-file limit.
    #[error("entry {entry:?} decompresses to more than {max} bytes (reading stopped there)")]
    FileTooLarge { entry: String, max: u64 },

    /// All entries really decompress to more than the total limit.
    #[error("the package decompresses to more than {max} bytes in all (reading stopped at entry {entry:?})")]
    TotalTooLarge { entry: String, max: u64 },

    /// An entry that decompresses to more bytes than its header declares: the header lies.
    #[error("entry {entry:?} decompresses to more than the {declared} bytes its header declares (reading stopped there)")]
    LargerThanDeclared { entry: String, declared: u64 },

    /// An entry that decompresses to fewer bytes than its header declares.
    #[error("entry {entry:?} decompresses to {actual} bytes but its header declares {declared}")]
    SmallerThanDeclared {
        entry: String,
        declared: u64,
        actual: u64,
    },

    /// A large entry that compresses better than the ratio limit allows (a zip bomb).
    #[error("entry {entry:?} expands {ratio}:1 from {compressed} to {size} bytes; at most {max}:1 is accepted for files over {threshold} bytes")]
    CompressionRatio {
        entry: String,
        size: u64,
        compressed: u64,
        ratio: u64,
        max: u64,
        threshold: u64,
    },

    /// The manifest file is larger than [`crate::PackageLimits::max_manifest_bytes`].
    #[error("the manifest {file:?} is {size} bytes; at most {max} bytes are read")]
    ManifestTooLarge { file: String, size: u64, max: u64 },

    /// Neither `cmi5.xml` nor `imsmanifest.xml` at the package root.
    #[error("no cmi5.xml and no imsmanifest.xml at the root of the package (looked at the root{}); this is not a cmi5 or SCORM package", single_folder.as_ref().map(|f| format!(" and inside its single folder {f:?}")).unwrap_or_default())]
    NoManifest { single_folder: Option<String> },

    /// The manifest is not well-formed XML.
    #[error("{file} does not parse at line {line}, column {column}: {message}")]
    ManifestParse {
        file: String,
        line: u64,
        column: u64,
        message: String,
    },

    /// The manifest declares entities in a DOCTYPE (entity expansion, XXE).
    #[error("{file} declares entities in its DOCTYPE (<!ENTITY); entity declarations are refused (entity expansion / XXE)")]
    EntityDeclaration { file: String },

    /// The manifest's DOCTYPE points at an external DTD.
    #[error("{file} refers to an external DTD in its DOCTYPE (SYSTEM/PUBLIC); external references are refused and never fetched")]
    ExternalDtd { file: String },

    /// The manifest is XML but not a valid course structure or manifest.
    #[error("{file} is not a valid manifest: {message}")]
    InvalidManifest { file: String, message: String },

    /// The manifest references files that are not in the zip.
    #[error("{file} references {} file(s) missing from the package: {}", missing.len(), missing.join(", "))]
    MissingFiles { file: String, missing: Vec<String> },

    /// The manifest references a path outside the package (`../x`, `/x`).
    #[error("{file} references {reference:?}, which lies outside the package")]
    ReferenceOutsidePackage { file: String, reference: String },

    /// Nothing in the manifest can be launched.
    #[error("{file} has no launchable unit ({what})")]
    NoLaunchableUnit { file: String, what: &'static str },
}

/// Why an inspected package could not be written to a directory.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// The target directory already exists (extraction never merges into or replaces a folder).
    #[error("the target {0} already exists; packages are extracted into a new directory")]
    TargetExists(PathBuf),

    /// The target has no parent directory to create the temporary directory in.
    #[error("the target {0} has no parent directory")]
    NoParent(PathBuf),

    /// Reading the zip again found something the inspection did not allow.
    #[error(transparent)]
    Refused(#[from] PackageRefusal),

    /// The zip given to extraction is not the one that was inspected.
    #[error("entry {index} is {found:?} now but was {expected:?} when the package was inspected; extract from the same bytes")]
    SourceChanged {
        index: usize,
        expected: String,
        found: String,
    },

    /// Writing failed.
    #[error("could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}
