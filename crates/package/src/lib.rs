//! Reads e-learning packages — cmi5 course structures and SCORM 1.2 / 2004 manifests — from zip
//! uploads, and refuses hostile ones with a clear reason.
//!
//! Plain Rust: no database, no HTTP. An L&D admin uploads a zip; [`inspect`] (or [`inspect_bytes`])
//! checks it under [`PackageLimits`], tells its [`PackageKind`], parses its course structure and
//! lists its files; [`InspectedPackage::extract_to`] writes it into a new directory for serving.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bytes = std::fs::read("course.zip")?;
//! let mut inspected = mycel_package::inspect_bytes(&bytes, &Default::default())?;
//! println!("{}", inspected.package()); // the structure it found, as an indented tree
//! for unit in inspected.package().launchable_units() {
//!     println!("{} {} -> {}", unit.kind.as_str(), unit.id, unit.launch);
//! }
//! inspected.extract_to(std::path::Path::new("/srv/mycel/packages/1234"))?;
//! # Ok(()) }
//! ```
//!
//! # A bare course structure
//! cmi5 also allows a course structure on its own, without a zip (cmi5 14.2): its AUs are hosted
//! elsewhere. [`inspect_course_xml`] reads such a `cmi5.xml` into a [`Package`] of kind
//! [`PackageKind::Cmi5`] with no files. Every AU `url` must then be a fully qualified `http` or
//! `https` URL; a relative one is refused, since there is no zip for it to point into.
//! [`UploadForm::of`] tells an upload's form from its first bytes: a zip, a course structure, or
//! neither ([`PackageRefusal::NotAPackage`]).
//!
//! ```
//! # fn main() -> Result<(), mycel_package::PackageRefusal> {
//! let xml = br#"<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
//!   <course id="https://example.com/course/1"><title><langstring>Safety</langstring></title>
//!     <description><langstring>Site safety basics</langstring></description></course>
//!   <au id="https://example.com/au/1"><title><langstring>Helmets</langstring></title>
//!     <description><langstring>Why and when</langstring></description>
//!     <url>https://cdn.example.com/helmets/index.html</url></au>
//! </courseStructure>"#;
//! let package = mycel_package::inspect_course_xml(xml, &Default::default())?;
//! assert_eq!(package.kind(), mycel_package::PackageKind::Cmi5);
//! assert!(package.files().is_empty());
//! assert_eq!(package.launchable_units()[0].launch, "https://cdn.example.com/helmets/index.html");
//! # Ok(()) }
//! ```
//!
//! # What is refused ([`PackageRefusal`])
//! - bytes that are not a zip, damaged entries (CRC, headers), unsupported compression;
//! - entry names that are absolute (`/x`, `C:\x`, `\\server\x`), contain `..` (zip slip), a
//!   backslash, a NUL or other control character; symbolic links and special files (by the unix
//!   mode in the external attributes); encrypted entries; two entries that are one file once
//!   normalised (`a/b` and `./a//b`), and a path that is both a file and a folder;
//! - zip bombs: more than `max_entries` entries; declared sizes over the per-file or total limit; a
//!   file over 1 MiB expanding more than 100:1; and, because headers lie, the bytes really
//!   decompressed are counted while reading and reading stops as soon as an entry passes its
//!   declared size or a limit;
//! - no `cmi5.xml` or `imsmanifest.xml` at the root (a zip whose entries all sit in one top-level
//!   folder is read from inside that folder; `__MACOSX/` entries are ignored);
//! - manifests with a DOCTYPE that declares entities (`<!ENTITY`: billion laughs, XXE) or refers to
//!   an external DTD; undefined entities; malformed XML (with line and column); invalid values;
//! - references to files missing from the zip (SCORM resource `href` and `<file href>`, relative
//!   cmi5 AU `url`s), references leaving the package, `javascript:`/`data:`/`vbscript:`/`file:` URLs;
//! - cmi5 course structures that break the specification's rules: the schema (element order and
//!   presence), ids that are not fully qualified IRIs, duplicate ids, AU URLs that are not URLs or
//!   whose query string takes a launch parameter's name (the full list in [`cmi5`]); in a bare
//!   course structure, AU URLs that are not absolute;
//! - packages with no launchable unit.
//!
//! The rules for telling the SCORM version and for building launch URLs are in [`scorm`]; the
//! cmi5 rules in [`cmi5`]; path rules in [`paths`]; content types in [`content_type_for`].

pub mod cmi5;
mod content_type;
mod error;
mod limits;
mod package;
pub mod paths;
mod render;
pub mod scorm;
mod xml;

pub use cmi5::{
    parse_cmi5, Cmi5Au, Cmi5Block, Cmi5Course, Cmi5Node, Cmi5Objective, LangString, LaunchMethod,
    MoveOn,
};
pub use content_type::content_type_for;
pub use error::{ExtractError, PackageRefusal};
pub use limits::PackageLimits;
pub use package::{
    inspect, inspect_bytes, inspect_course_xml, CourseStructure, InspectedPackage, LaunchableUnit,
    Package, PackageFile, PackageKind, Scorm2004Edition, UnitKind, UploadForm,
};
pub use paths::normalise_entry_name;
pub use scorm::{
    parse_scorm_manifest, CompletionThreshold, PrimaryObjective, ScormItem, ScormManifest,
    ScormOrganization, ScormResource, ScormType,
};
