//! Inspecting a zip: the checks, the structure found, and extraction.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::ZipArchive;

use crate::cmi5::{first_text, parse_cmi5, Cmi5Course};
use crate::content_type::content_type_for;
use crate::error::{ExtractError, PackageRefusal};
use crate::limits::PackageLimits;
use crate::paths::{normalise_entry_name, resolve_reference, url_scheme, Reference};
use crate::scorm::{parse_scorm_manifest, ScormManifest, ScormType};

/// What kind of e-learning package a zip is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackageKind {
    Cmi5,
    Scorm12,
    Scorm2004 { edition: Scorm2004Edition },
}

/// The edition of a SCORM 2004 package (see [`crate::scorm`] for how it is told).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scorm2004Edition {
    Second,
    Third,
    Fourth,
    Unknown,
}

impl fmt::Display for PackageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageKind::Cmi5 => f.write_str("cmi5"),
            PackageKind::Scorm12 => f.write_str("SCORM 1.2"),
            PackageKind::Scorm2004 { edition } => match edition {
                Scorm2004Edition::Second => f.write_str("SCORM 2004 2nd Edition"),
                Scorm2004Edition::Third => f.write_str("SCORM 2004 3rd Edition"),
                Scorm2004Edition::Fourth => f.write_str("SCORM 2004 4th Edition"),
                Scorm2004Edition::Unknown => f.write_str("SCORM 2004 (edition unknown)"),
            },
        }
    }
}

/// The course structure read from the manifest.
#[derive(Debug, Clone, PartialEq)]
pub enum CourseStructure {
    Cmi5(Cmi5Course),
    Scorm(ScormManifest),
}

/// A regular file of the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// Relative to the package root: forward slashes, no leading `./`, the single top-level folder
    /// removed if the package was zipped with one.
    pub path: String,
    /// Uncompressed size in bytes (checked against what the entry really decompresses to).
    pub size: u64,
    /// Content type by extension ([`crate::content_type_for`]).
    pub content_type: &'static str,
}

/// What a launchable unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A cmi5 assignable unit.
    Au,
    /// A SCORM item whose resource is a SCO.
    Sco,
    /// A SCORM item whose resource is an asset (or has no `scormtype`).
    Asset,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Au => "AU",
            UnitKind::Sco => "SCO",
            UnitKind::Asset => "asset",
        }
    }
}

/// One thing a learner can launch, the same shape for cmi5 and SCORM.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchableUnit {
    pub kind: UnitKind,
    /// The AU id or the SCORM item identifier.
    pub id: String,
    /// The first title of the AU, or the item title; `""` when there is none.
    pub title: String,
    /// Relative to the package root (normalised, with query and fragment), or an absolute URL.
    pub launch: String,
    /// Mastery score on a 0..=1 scale: the cmi5 `masteryScore`; SCORM 1.2 `adlcp:masteryscore`
    /// divided by 100; SCORM 2004 the primary objective's `minNormalizedMeasure` when it is
    /// satisfied by measure (1.0 when that measure is absent, as the specification defaults).
    pub mastery_score: Option<f64>,
}

/// An inspected, accepted package: its kind, structure, files and the hash of the zip.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    kind: PackageKind,
    structure: CourseStructure,
    files: Vec<PackageFile>,
    sha256: [u8; 32],
    root_folder: Option<String>,
}

impl Package {
    pub fn kind(&self) -> PackageKind {
        self.kind
    }

    pub fn structure(&self) -> &CourseStructure {
        &self.structure
    }

    /// Every regular file in zip order (folders and `__MACOSX/` entries are left out); empty for a
    /// bare course structure ([`inspect_course_xml`]).
    pub fn files(&self) -> &[PackageFile] {
        &self.files
    }

    /// The file at this path relative to the package root.
    pub fn file(&self, path: &str) -> Option<&PackageFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Sum of the file sizes.
    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// SHA-256 of the zip (or of the bare course structure) exactly as uploaded.
    pub fn sha256(&self) -> [u8; 32] {
        self.sha256
    }

    /// SHA-256 of the zip as 64 lower-case hex digits.
    pub fn sha256_hex(&self) -> String {
        use fmt::Write as _;
        self.sha256
            .iter()
            .fold(String::with_capacity(64), |mut out, byte| {
                let _ = write!(out, "{byte:02x}");
                out
            })
    }

    /// The single top-level folder that was treated as the package root, if any.
    pub fn root_folder(&self) -> Option<&str> {
        self.root_folder.as_deref()
    }

    /// The cmi5 course, if this is a cmi5 package.
    pub fn cmi5(&self) -> Option<&Cmi5Course> {
        match &self.structure {
            CourseStructure::Cmi5(course) => Some(course),
            CourseStructure::Scorm(_) => None,
        }
    }

    /// The SCORM manifest, if this is a SCORM package.
    pub fn scorm(&self) -> Option<&ScormManifest> {
        match &self.structure {
            CourseStructure::Scorm(manifest) => Some(manifest),
            CourseStructure::Cmi5(_) => None,
        }
    }

    /// The course title: the first cmi5 course title, or the title of the default SCORM
    /// organization.
    pub fn title(&self) -> &str {
        match &self.structure {
            CourseStructure::Cmi5(course) => first_text(&course.title),
            CourseStructure::Scorm(manifest) => manifest
                .organization()
                .and_then(|o| o.title.as_deref())
                .unwrap_or(""),
        }
    }

    /// Every AU (cmi5), or every item of the default organization that launches a resource with an
    /// `href` (SCORM), in document order.
    pub fn launchable_units(&self) -> Vec<LaunchableUnit> {
        launchable_units(&self.structure)
    }
}

pub(crate) fn launch_text(url: &str) -> String {
    match resolve_reference(url) {
        Reference::Local { url, .. } => url,
        Reference::External(url) => url,
        Reference::Outside => url.trim().to_owned(),
    }
}

fn launchable_units(structure: &CourseStructure) -> Vec<LaunchableUnit> {
    match structure {
        CourseStructure::Cmi5(course) => course
            .aus()
            .into_iter()
            .map(|au| LaunchableUnit {
                kind: UnitKind::Au,
                id: au.id.clone(),
                title: first_text(&au.title).to_owned(),
                launch: launch_text(&au.url),
                mastery_score: au.mastery_score,
            })
            .collect(),
        CourseStructure::Scorm(manifest) => {
            let Some(organization) = manifest.organization() else {
                return Vec::new();
            };
            organization
                .all_items()
                .into_iter()
                .filter_map(|item| {
                    let launch = manifest.launch_url(item)?;
                    let resource = manifest.item_resource(item)?;
                    let mastery_score = if let Some(score) = item.mastery_score {
                        Some(score / 100.0)
                    } else {
                        item.primary_objective
                            .as_ref()
                            .filter(|o| o.satisfied_by_measure)
                            .map(|o| o.min_normalized_measure.unwrap_or(1.0))
                    };
                    Some(LaunchableUnit {
                        kind: match resource.scorm_type {
                            Some(ScormType::Sco) => UnitKind::Sco,
                            Some(ScormType::Asset) | None => UnitKind::Asset,
                        },
                        id: item.identifier.clone(),
                        title: item.title.clone().unwrap_or_default(),
                        launch: launch_text(&launch),
                        mastery_score,
                    })
                })
                .collect()
        }
    }
}

/// One entry of the zip as the inspection planned it.
#[derive(Debug, Clone)]
struct PlannedEntry {
    index: usize,
    /// The name as stored in the zip.
    raw_name: String,
    /// Normalised path relative to the package root.
    path: String,
    is_dir: bool,
    size: u64,
}

/// An accepted package together with the zip it came from, ready to be extracted.
pub struct InspectedPackage<R> {
    package: Package,
    archive: ZipArchive<R>,
    plan: Vec<PlannedEntry>,
    limits: PackageLimits,
}

impl<R> fmt::Debug for InspectedPackage<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InspectedPackage")
            .field("package", &self.package)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl<R> InspectedPackage<R> {
    pub fn package(&self) -> &Package {
        &self.package
    }

    pub fn into_package(self) -> Package {
        self.package
    }
}

/// Inspects a zip held in memory. See [`inspect`].
pub fn inspect_bytes<'a>(
    bytes: &'a [u8],
    limits: &PackageLimits,
) -> Result<InspectedPackage<Cursor<&'a [u8]>>, PackageRefusal> {
    inspect(Cursor::new(bytes), limits)
}

/// Inspects a zip: checks every entry, reads every file once (counting the bytes it really
/// decompresses to), finds and parses the manifest, checks what it references, and hashes the zip.
///
/// The reader is rewound first; everything in it is the package.
pub fn inspect<R: Read + Seek>(
    mut reader: R,
    limits: &PackageLimits,
) -> Result<InspectedPackage<R>, PackageRefusal> {
    let sha256 = hash_source(&mut reader)?;
    let mut archive = ZipArchive::new(reader).map_err(|e| PackageRefusal::NotAZip {
        reason: e.to_string(),
    })?;
    if archive.len() > limits.max_entries {
        return Err(PackageRefusal::TooManyEntries {
            count: archive.len(),
            max: limits.max_entries,
        });
    }
    let entries = check_entries(&mut archive, limits)?;
    let (root_folder, manifest_name) = find_root(&entries)?;
    let prefix = root_folder
        .as_ref()
        .map(|f| format!("{f}/"))
        .unwrap_or_default();
    let manifest_path = format!("{prefix}{manifest_name}");

    // Read every file once: the real sizes are counted, the manifest kept.
    let mut total = 0u64;
    let mut manifest_bytes = Vec::new();
    for entry in entries.iter().filter(|e| !e.is_dir) {
        let mut file = archive
            .by_index(entry.index)
            .map_err(|e| corrupt(&entry.raw_name, &e))?;
        if entry.path == manifest_path {
            if entry.size > limits.max_manifest_bytes {
                return Err(PackageRefusal::ManifestTooLarge {
                    file: manifest_path,
                    size: entry.size,
                    max: limits.max_manifest_bytes,
                });
            }
            copy_counted(&mut file, entry, limits, &mut total, &mut manifest_bytes)?;
        } else {
            copy_counted(&mut file, entry, limits, &mut total, &mut io::sink())?;
        }
    }

    // Paths relative to the package root; __MACOSX/ metadata is left out.
    let plan: Vec<PlannedEntry> = entries
        .into_iter()
        .filter(|e| !is_mac_metadata(&e.path))
        .filter_map(|mut e| {
            let relative = e.path.strip_prefix(&prefix)?.to_owned();
            if relative.is_empty() {
                return None;
            }
            e.path = relative;
            Some(e)
        })
        .collect();
    let files: Vec<PackageFile> = plan
        .iter()
        .filter(|e| !e.is_dir)
        .map(|e| PackageFile {
            content_type: content_type_for(&e.path),
            path: e.path.clone(),
            size: e.size,
        })
        .collect();

    let (kind, structure) = if manifest_name == "cmi5.xml" {
        let course = parse_cmi5(&manifest_bytes).map_err(|e| rename_file(e, &manifest_path))?;
        (PackageKind::Cmi5, CourseStructure::Cmi5(course))
    } else {
        let (kind, manifest) =
            parse_scorm_manifest(&manifest_bytes).map_err(|e| rename_file(e, &manifest_path))?;
        (kind, CourseStructure::Scorm(manifest))
    };

    let file_set: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    check_references(&structure, &file_set, &manifest_path)?;
    if launchable_units(&structure).is_empty() {
        return Err(PackageRefusal::NoLaunchableUnit {
            file: manifest_path,
            what: match structure {
                CourseStructure::Cmi5(_) => "the course has no AU",
                CourseStructure::Scorm(_) => {
                    "no item of the default organization launches a resource with an href"
                }
            },
        });
    }

    Ok(InspectedPackage {
        package: Package {
            kind,
            structure,
            files,
            sha256,
            root_folder,
        },
        archive,
        plan,
        limits: *limits,
    })
}

/// What an upload is, told by its first bytes (never by a file name or a declared content type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadForm {
    /// Starts with `PK`: a zip, for [`inspect`].
    Zip,
    /// Starts with `<` after an optional UTF-8 byte order mark and whitespace: a bare course
    /// structure, for [`inspect_course_xml`].
    CourseXml,
    /// Anything else, refused with [`PackageRefusal::NotAPackage`].
    Unknown,
}

impl UploadForm {
    /// Tells the form of an upload from its first bytes.
    pub fn of(bytes: &[u8]) -> UploadForm {
        if bytes.starts_with(b"PK") {
            return UploadForm::Zip;
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match text
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            Some(b'<') => UploadForm::CourseXml,
            _ => UploadForm::Unknown,
        }
    }
}

/// Reads a bare course structure: a `cmi5.xml` uploaded on its own, without a zip (cmi5 14.2).
///
/// The result is a [`Package`] of kind [`PackageKind::Cmi5`] with no files, hashed over the XML
/// bytes. Besides everything [`parse_cmi5`] refuses, every AU `url` must be fully qualified with
/// the `http` or `https` scheme: there is no zip for a relative URL to point into ("when a course
/// structure XML file is provided without a ZIP file package, all URL references MUST be fully
/// qualified", 14.2). A course structure larger than `limits.max_manifest_bytes` is refused unread.
pub fn inspect_course_xml(bytes: &[u8], limits: &PackageLimits) -> Result<Package, PackageRefusal> {
    const FILE: &str = "cmi5.xml";
    let size = bytes.len() as u64;
    if size > limits.max_manifest_bytes {
        return Err(PackageRefusal::ManifestTooLarge {
            file: FILE.to_owned(),
            size,
            max: limits.max_manifest_bytes,
        });
    }
    let course = parse_cmi5(bytes)?;
    for au in course.aus() {
        let scheme = url_scheme(&au.url).map(str::to_ascii_lowercase);
        if !matches!(scheme.as_deref(), Some("http" | "https")) {
            return Err(PackageRefusal::InvalidManifest {
                file: FILE.to_owned(),
                message: format!(
                    "the AU {:?} has the url {:?}, which is not a fully qualified http or https URL; a course structure uploaded without a zip has no files for a relative URL to point into (cmi5 14.2)",
                    au.id, au.url
                ),
            });
        }
    }
    let structure = CourseStructure::Cmi5(course);
    if launchable_units(&structure).is_empty() {
        return Err(PackageRefusal::NoLaunchableUnit {
            file: FILE.to_owned(),
            what: "the course has no AU",
        });
    }
    Ok(Package {
        kind: PackageKind::Cmi5,
        structure,
        files: Vec::new(),
        sha256: Sha256::digest(bytes).into(),
        root_folder: None,
    })
}

fn hash_source<R: Read + Seek>(reader: &mut R) -> io::Result<[u8; 32]> {
    reader.seek(SeekFrom::Start(0))?;
    let mut hasher = Sha256::new();
    io::copy(reader, &mut hasher)?;
    reader.seek(SeekFrom::Start(0))?;
    Ok(hasher.finalize().into())
}

fn corrupt(entry: &str, error: &dyn fmt::Display) -> PackageRefusal {
    PackageRefusal::CorruptEntry {
        entry: entry.to_owned(),
        reason: error.to_string(),
    }
}

fn is_mac_metadata(path: &str) -> bool {
    path == "__MACOSX" || path.starts_with("__MACOSX/")
}

/// Puts the manifest's real path into a refusal that a parser raised with the plain file name.
fn rename_file(error: PackageRefusal, path: &str) -> PackageRefusal {
    match error {
        PackageRefusal::ManifestParse {
            line,
            column,
            message,
            ..
        } => PackageRefusal::ManifestParse {
            file: path.to_owned(),
            line,
            column,
            message,
        },
        PackageRefusal::EntityDeclaration { .. } => PackageRefusal::EntityDeclaration {
            file: path.to_owned(),
        },
        PackageRefusal::ExternalDtd { .. } => PackageRefusal::ExternalDtd {
            file: path.to_owned(),
        },
        PackageRefusal::InvalidManifest { message, .. } => PackageRefusal::InvalidManifest {
            file: path.to_owned(),
            message,
        },
        other => other,
    }
}

const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;

/// The per-entry checks that need no decompression: names, types, encryption, declared sizes.
fn check_entries<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    limits: &PackageLimits,
) -> Result<Vec<PlannedEntry>, PackageRefusal> {
    let mut entries = Vec::with_capacity(archive.len());
    let mut files: HashMap<String, String> = HashMap::new();
    let mut declared_total = 0u64;
    for index in 0..archive.len() {
        let name_in_directory = archive
            .name_for_index(index)
            .map_or_else(|| format!("#{index}"), str::to_owned);
        let file = archive
            .by_index_raw(index)
            .map_err(|e| corrupt(&name_in_directory, &e))?;
        let raw_name = file.name().to_owned();
        if file.name_raw().contains(&0) {
            return Err(PackageRefusal::ControlCharacter { entry: raw_name });
        }
        let name = normalise_entry_name(&raw_name)?;
        let mode = file.unix_mode().map(|m| m & S_IFMT);
        match mode {
            Some(S_IFLNK) => return Err(PackageRefusal::Symlink { entry: raw_name }),
            None | Some(0 | S_IFREG | S_IFDIR) => {}
            Some(_) => return Err(PackageRefusal::SpecialFile { entry: raw_name }),
        }
        if file.encrypted() {
            return Err(PackageRefusal::Encrypted { entry: raw_name });
        }
        let is_dir = name.is_dir || mode == Some(S_IFDIR);
        let size = if is_dir { 0 } else { file.size() };
        if !is_dir {
            if size > limits.max_file_bytes {
                return Err(PackageRefusal::DeclaredFileTooLarge {
                    entry: raw_name,
                    size,
                    max: limits.max_file_bytes,
                });
            }
            declared_total = declared_total.saturating_add(size);
            if declared_total > limits.max_total_bytes {
                return Err(PackageRefusal::DeclaredTotalTooLarge {
                    entry: raw_name,
                    size: declared_total,
                    max: limits.max_total_bytes,
                });
            }
            let compressed = file.compressed_size();
            if size > limits.ratio_threshold_bytes
                && size > compressed.saturating_mul(limits.max_compression_ratio)
            {
                return Err(PackageRefusal::CompressionRatio {
                    entry: raw_name,
                    size,
                    compressed,
                    ratio: size / compressed.max(1),
                    max: limits.max_compression_ratio,
                    threshold: limits.ratio_threshold_bytes,
                });
            }
            if let Some(first) = files.insert(name.path.clone(), raw_name.clone()) {
                return Err(PackageRefusal::DuplicateEntry {
                    entry: raw_name,
                    first,
                    path: name.path,
                });
            }
        }
        entries.push(PlannedEntry {
            index,
            raw_name,
            path: name.path,
            is_dir,
            size,
        });
    }
    // A path cannot be a file and a folder at once (`a` and `a/b`, or `a` and `a/`).
    let mut folders: HashSet<&str> = HashSet::new();
    for entry in &entries {
        if entry.is_dir {
            folders.insert(&entry.path);
        }
        let mut path = entry.path.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            folders.insert(parent);
            path = parent;
        }
    }
    if let Some(conflict) = entries
        .iter()
        .find(|e| !e.is_dir && folders.contains(e.path.as_str()))
    {
        return Err(PackageRefusal::FileFolderConflict {
            path: conflict.path.clone(),
        });
    }
    Ok(entries)
}

/// Finds the manifest: at the root, else inside the single top-level folder every entry sits in.
/// Returns that folder (if used) and the manifest's file name; cmi5.xml wins over imsmanifest.xml.
fn find_root(entries: &[PlannedEntry]) -> Result<(Option<String>, &'static str), PackageRefusal> {
    let visible: Vec<&PlannedEntry> = entries
        .iter()
        .filter(|e| !is_mac_metadata(&e.path))
        .collect();
    let has_file = |path: &str| visible.iter().any(|e| !e.is_dir && e.path == path);
    for name in ["cmi5.xml", "imsmanifest.xml"] {
        if has_file(name) {
            return Ok((None, name));
        }
    }
    let top_level: HashSet<&str> = visible
        .iter()
        .map(|e| e.path.split('/').next().unwrap_or_default())
        .collect();
    let single_folder = match top_level.into_iter().collect::<Vec<_>>().as_slice() {
        [folder] if visible.iter().all(|e| e.is_dir || e.path != *folder) => {
            Some((*folder).to_owned())
        }
        _ => None,
    };
    if let Some(folder) = &single_folder {
        for name in ["cmi5.xml", "imsmanifest.xml"] {
            if has_file(&format!("{folder}/{name}")) {
                return Ok((Some(folder.clone()), name));
            }
        }
    }
    Err(PackageRefusal::NoManifest { single_folder })
}

/// Copies one entry's bytes, counting them: refuses as soon as the entry passes its declared size
/// or the per-file limit, or all entries pass the total limit, and when it ends short.
fn copy_counted(
    source: &mut impl Read,
    entry: &PlannedEntry,
    limits: &PackageLimits,
    total: &mut u64,
    sink: &mut impl Write,
) -> Result<u64, CopyError> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut count = 0u64;
    loop {
        let read = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Refused(corrupt(&entry.raw_name, &e))),
        };
        count += read as u64;
        *total += read as u64;
        if count > limits.max_file_bytes {
            return Err(CopyError::Refused(PackageRefusal::FileTooLarge {
                entry: entry.raw_name.clone(),
                max: limits.max_file_bytes,
            }));
        }
        if count > entry.size {
            return Err(CopyError::Refused(PackageRefusal::LargerThanDeclared {
                entry: entry.raw_name.clone(),
                declared: entry.size,
            }));
        }
        if *total > limits.max_total_bytes {
            return Err(CopyError::Refused(PackageRefusal::TotalTooLarge {
                entry: entry.raw_name.clone(),
                max: limits.max_total_bytes,
            }));
        }
        sink.write_all(&buffer[..read]).map_err(CopyError::Write)?;
    }
    if count < entry.size {
        return Err(CopyError::Refused(PackageRefusal::SmallerThanDeclared {
            entry: entry.raw_name.clone(),
            declared: entry.size,
            actual: count,
        }));
    }
    Ok(count)
}

/// A refusal while reading, or a failure of the sink.
#[derive(Debug)]
enum CopyError {
    Refused(PackageRefusal),
    Write(io::Error),
}

impl From<CopyError> for PackageRefusal {
    fn from(error: CopyError) -> Self {
        match error {
            CopyError::Refused(refusal) => refusal,
            CopyError::Write(e) => PackageRefusal::Io(e),
        }
    }
}

/// Schemes an AU or resource may never launch.
const FORBIDDEN_SCHEMES: [&str; 4] = ["javascript", "data", "vbscript", "file"];

fn check_references(
    structure: &CourseStructure,
    files: &HashSet<&str>,
    manifest_path: &str,
) -> Result<(), PackageRefusal> {
    let references: Vec<String> = match structure {
        CourseStructure::Cmi5(course) => course.aus().iter().map(|au| au.url.clone()).collect(),
        CourseStructure::Scorm(manifest) => manifest
            .resources
            .iter()
            .flat_map(|r| manifest.resource_references(r))
            .collect(),
    };
    let mut missing: Vec<String> = Vec::new();
    for reference in references {
        match resolve_reference(&reference) {
            Reference::External(url) => {
                let scheme = url_scheme(&url).unwrap_or_default().to_ascii_lowercase();
                if FORBIDDEN_SCHEMES.contains(&scheme.as_str()) {
                    return Err(PackageRefusal::InvalidManifest {
                        file: manifest_path.to_owned(),
                        message: format!(
                            "{url:?} uses the {scheme}: scheme, which is never launched"
                        ),
                    });
                }
            }
            Reference::Outside => {
                return Err(PackageRefusal::ReferenceOutsidePackage {
                    file: manifest_path.to_owned(),
                    reference: reference.trim().to_owned(),
                })
            }
            Reference::Local { file, .. } => {
                if !files.contains(file.as_str()) {
                    let shown = if file.is_empty() {
                        reference.trim().to_owned()
                    } else {
                        file
                    };
                    if !missing.contains(&shown) {
                        missing.push(shown);
                    }
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(PackageRefusal::MissingFiles {
            file: manifest_path.to_owned(),
            missing,
        })
    }
}

impl<R: Read + Seek> InspectedPackage<R> {
    /// Writes every file of the package (paths relative to its root) into `target`, which must not
    /// exist yet.
    ///
    /// Files are written into a fresh temporary directory beside `target` and that directory is
    /// renamed to `target` at the end, so `target` appears complete or not at all; on any error the
    /// temporary directory is removed. Paths come from the inspection (they cannot leave the
    /// directory), files are created new (never through an existing file or link), and the bytes
    /// are counted again against the declared sizes and the limits while they are written.
    pub fn extract_to(&mut self, target: &Path) -> Result<(), ExtractError> {
        if fs::symlink_metadata(target).is_ok() {
            return Err(ExtractError::TargetExists(target.to_owned()));
        }
        let parent = match target.parent() {
            Some(p) if p.as_os_str().is_empty() => Path::new("."),
            Some(p) => p,
            None => return Err(ExtractError::NoParent(target.to_owned())),
        };
        let temp = tempfile::Builder::new()
            .prefix(".mycel-package-")
            .tempdir_in(parent)
            .map_err(|source| ExtractError::Write {
                path: parent.to_owned(),
                source,
            })?;
        self.write_files(temp.path())?;
        let written = temp.keep();
        if let Err(source) = fs::rename(&written, target) {
            let _ = fs::remove_dir_all(&written);
            return Err(ExtractError::Write {
                path: target.to_owned(),
                source,
            });
        }
        Ok(())
    }

    fn write_files(&mut self, root: &Path) -> Result<(), ExtractError> {
        let mut total = 0u64;
        for entry in &self.plan {
            let destination: PathBuf = entry
                .path
                .split('/')
                .fold(root.to_owned(), |p, c| p.join(c));
            let write_error = |source| ExtractError::Write {
                path: destination.clone(),
                source,
            };
            if entry.is_dir {
                fs::create_dir_all(&destination).map_err(write_error)?;
                continue;
            }
            if let Some(parent) = destination.parent() {
                fs::create_dir_all(parent).map_err(write_error)?;
            }
            let mut file = self
                .archive
                .by_index(entry.index)
                .map_err(|e| ExtractError::Refused(corrupt(&entry.raw_name, &e)))?;
            if file.name() != entry.raw_name {
                return Err(ExtractError::SourceChanged {
                    index: entry.index,
                    expected: entry.raw_name.clone(),
                    found: file.name().to_owned(),
                });
            }
            let output = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&destination)
                .map_err(write_error)?;
            let mut output = io::BufWriter::new(output);
            copy_counted(&mut file, entry, &self.limits, &mut total, &mut output).map_err(|e| {
                match e {
                    CopyError::Refused(refusal) => ExtractError::Refused(refusal),
                    CopyError::Write(source) => write_error(source),
                }
            })?;
            output.flush().map_err(write_error)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn course(url: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.com/course/1"><title><langstring lang="en">Safety</langstring></title><description/></course>
  <block id="https://example.com/block/1"><title/><description/>
    <au id="https://example.com/au/1" moveOn="Completed"><title><langstring>Helmets</langstring></title><description/><url>{url}</url></au>
  </block>
</courseStructure>"#
        )
    }

    #[test]
    fn a_bare_course_structure_with_absolute_urls_is_a_package_without_files() {
        let xml = course("https://cdn.example.com/helmets/index.html?lang=en");
        let package = inspect_course_xml(xml.as_bytes(), &PackageLimits::default()).unwrap();
        assert_eq!(package.kind(), PackageKind::Cmi5);
        assert!(package.files().is_empty());
        assert_eq!(package.total_size(), 0);
        assert_eq!(package.title(), "Safety");
        assert_eq!(
            package.sha256(),
            <[u8; 32]>::from(Sha256::digest(xml.as_bytes()))
        );
        let units = package.launchable_units();
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].id, "https://example.com/au/1");
        assert_eq!(
            units[0].launch,
            "https://cdn.example.com/helmets/index.html?lang=en"
        );
        assert_eq!(
            package.cmi5().unwrap().blocks()[0].id,
            "https://example.com/block/1"
        );
    }

    #[test]
    fn a_bare_course_structure_refuses_relative_and_non_web_urls() {
        for url in [
            "index.html",
            "path/1/index.html?abc=def",
            "/index.html",
            "../index.html",
            "ftp://example.com/index.html",
            "javascript:alert(1)",
        ] {
            match inspect_course_xml(course(url).as_bytes(), &PackageLimits::default()) {
                Err(PackageRefusal::InvalidManifest { file, message }) => {
                    assert_eq!(file, "cmi5.xml");
                    assert!(message.contains("cmi5 14.2"), "{url}: {message}");
                    assert!(message.contains(url), "{url}: {message}");
                }
                other => panic!("{url}: expected a refusal, got {other:?}"),
            }
        }
        // HTTP in capitals is still HTTP.
        assert!(inspect_course_xml(
            course("HTTP://example.com/a.html").as_bytes(),
            &PackageLimits::default()
        )
        .is_ok());
    }

    #[test]
    fn a_bare_course_structure_is_held_to_the_manifest_limit() {
        let xml = course("https://example.com/a.html");
        let limits = PackageLimits {
            max_manifest_bytes: 100,
            ..PackageLimits::default()
        };
        match inspect_course_xml(xml.as_bytes(), &limits) {
            Err(PackageRefusal::ManifestTooLarge { size, max, .. }) => {
                assert_eq!((size, max), (xml.len() as u64, 100));
            }
            other => panic!("expected ManifestTooLarge, got {other:?}"),
        }
    }

    #[test]
    fn the_upload_form_is_told_by_the_first_bytes() {
        assert_eq!(UploadForm::of(b"PK\x03\x04rest"), UploadForm::Zip);
        assert_eq!(
            UploadForm::of(b"<?xml version=\"1.0\"?><a/>"),
            UploadForm::CourseXml
        );
        assert_eq!(
            UploadForm::of(b"\xEF\xBB\xBF \r\n\t<courseStructure/>"),
            UploadForm::CourseXml
        );
        assert_eq!(UploadForm::of(b"# LMS Test Package\n"), UploadForm::Unknown);
        assert_eq!(UploadForm::of(b""), UploadForm::Unknown);
        assert_eq!(UploadForm::of(b"   "), UploadForm::Unknown);
        assert_eq!(UploadForm::of(b"\xEF\xBB\xBFPK"), UploadForm::Unknown);
        assert_eq!(
            PackageRefusal::NotAPackage.to_string(),
            "neither a zip package nor a cmi5 course structure (cmi5.xml)"
        );
    }
}
