//! E-learning packages: an upload (a zip, or a bare cmi5 course structure) is inspected
//! (`mycel-package` refuses hostile zips and reads the cmi5 or SCORM course structure), its files
//! are written to the content directory, the package is recorded, and a draft e-learning opportunity that plays it is created for the editor to
//! complete. A refused package leaves nothing behind: no files, no rows.

use crate::catalogue::{create_opportunity, Catalogue};
use crate::{Acting, AppError, AppResult};
use chrono::{SubsecRound, Utc};
use mycel_catalogue::{Modality, OpportunityDraft};
use mycel_competency::scale::LocalizedText;
use mycel_organisation::{Action, PackageId, PersonId, TenantId, ValidationError};
use mycel_package::{
    Cmi5Course, CourseStructure, Package, PackageKind, PackageLimits, PackageRefusal, UploadForm,
};
use mycel_store::catalogue::{OpportunityRecord, PackageRecord};
use mycel_store::{Store, TenantScope};
use serde_json::json;
use std::path::{Component, Path, PathBuf};

/// What an upload produced.
#[derive(Debug, Clone)]
pub struct UploadedPackage {
    pub package: PackageRecord,
    /// The draft e-learning opportunity that plays it.
    pub opportunity: OpportunityRecord,
    /// The course structure found, as an indented tree (what `mycel import package` prints).
    pub structure: String,
}

/// Why an upload failed: the package was refused (the reason is for the uploader), or something
/// else went wrong.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the package was refused: {0}")]
    Refused(#[from] PackageRefusal),
    #[error(transparent)]
    App(#[from] AppError),
}

/// `cmi5`, `scorm-1.2`, `scorm-2004-3rd`, …: the kind as stored.
pub fn kind_name(kind: PackageKind) -> &'static str {
    use mycel_package::Scorm2004Edition as E;
    match kind {
        PackageKind::Cmi5 => "cmi5",
        PackageKind::Scorm12 => "scorm-1.2",
        PackageKind::Scorm2004 { edition } => match edition {
            E::Second => "scorm-2004-2nd",
            E::Third => "scorm-2004-3rd",
            E::Fourth => "scorm-2004-4th",
            _ => "scorm-2004",
        },
    }
}

/// The course structure as stored: the launchable units in order with what the player and the
/// cmi5 runtime need, plus the course's own ids.
fn structure_json(package: &Package) -> serde_json::Value {
    let units: Vec<serde_json::Value> = package
        .launchable_units()
        .iter()
        .map(|u| {
            json!({
                "kind": u.kind.as_str(),
                "id": u.id,
                "title": u.title,
                "launch": u.launch,
                "mastery_score": u.mastery_score,
            })
        })
        .collect();
    let course = match package.structure() {
        CourseStructure::Cmi5(course) => json!({
            "id": course.id,
            "aus": course.aus().iter().map(|au| json!({
                "id": au.id,
                "url": au.url,
                "move_on": au.move_on.as_str(),
                "mastery_score": au.mastery_score,
                "launch_method": au.launch_method.as_str(),
                "launch_parameters": au.launch_parameters,
                "entitlement_key": au.entitlement_key,
                "activity_type": au.activity_type,
            })).collect::<Vec<_>>(),
            "blocks": course.blocks().iter().map(|b| json!({ "id": b.id })).collect::<Vec<_>>(),
        }),
        CourseStructure::Scorm(manifest) => json!({
            "identifier": manifest.identifier,
            "default_organization": manifest.default_organization,
        }),
        #[allow(unreachable_patterns)]
        _ => json!({}),
    };
    json!({ "units": units, "course": course })
}

/// The directory of a package's files.
pub fn package_dir(catalogue: &Catalogue, tenant: TenantId, package: PackageId) -> PathBuf {
    catalogue
        .content_dir()
        .join(tenant.to_string())
        .join(package.to_string())
}

/// The name of the course structure in a cmi5 package's directory: where a zip had it (at its
/// root, or in its single top-level folder, which extraction removes), or where a bare course
/// structure is written.
pub const CMI5_XML: &str = "cmi5.xml";

/// Inspects and stores an upload, and creates a draft opportunity that plays it.
///
/// The upload is told by its bytes ([`UploadForm::of`]), never by a declared content type or file
/// name: a zip (cmi5 or SCORM) is inspected and extracted into the package's directory; a bare cmi5
/// course structure (`cmi5.xml` on its own, AUs hosted elsewhere) is inspected and written as
/// `cmi5.xml` into the package's directory, so the cmi5 runtime reads it from the same place as for
/// a zip ([`cmi5_course`]); anything else is refused ([`PackageRefusal::NotAPackage`]).
pub async fn upload_package(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    uploaded_by: Option<PersonId>,
    upload: Vec<u8>,
) -> Result<UploadedPackage, UploadError> {
    acting.require(Action::ManageCatalogue)?;
    let id = PackageId::generate();
    let target = package_dir(catalogue, scope.tenant_id(), id);
    // Inspection and extraction read the whole upload: off the async threads.
    let extracted = tokio::task::spawn_blocking(move || -> Result<Package, UploadError> {
        let form = UploadForm::of(&upload);
        if form == UploadForm::Unknown {
            return Err(PackageRefusal::NotAPackage.into());
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                AppError::Internal(format!("cannot create the content directory: {e}"))
            })?;
        }
        if form == UploadForm::CourseXml {
            let package = mycel_package::inspect_course_xml(&upload, &PackageLimits::default())?;
            write_course_xml(&target, &upload)?;
            return Ok(package);
        }
        let mut inspected =
            mycel_package::inspect(std::io::Cursor::new(upload), &PackageLimits::default())?;
        inspected.extract_to(&target).map_err(|e| match e {
            mycel_package::ExtractError::Refused(refusal) => UploadError::Refused(refusal),
            other => {
                AppError::Internal(format!("writing the package's files failed: {other}")).into()
            }
        })?;
        Ok(inspected.into_package())
    })
    .await
    .map_err(|e| AppError::Internal(format!("the package task failed: {e}")))??;

    let title = package_title(&extracted);
    let units = extracted.launchable_units();
    let launch_path = units.first().map(|u| u.launch.clone()).unwrap_or_default();
    let record = PackageRecord {
        id,
        tenant_id: scope.tenant_id(),
        kind: kind_name(extracted.kind()).to_owned(),
        title: title.clone(),
        sha256: extracted.sha256_hex(),
        file_count: u32::try_from(extracted.files().len()).unwrap_or(u32::MAX),
        total_bytes: extracted.total_size(),
        structure: structure_json(&extracted).to_string(),
        launch_path,
        uploaded_by,
        uploaded_at: Utc::now().trunc_subsecs(6),
    };
    if let Err(error) = store.create_package(scope, &record).await {
        // Nothing half-written: the files go when their package could not be recorded.
        let dir = package_dir(catalogue, scope.tenant_id(), id);
        let _ = tokio::fs::remove_dir_all(dir).await;
        return Err(AppError::from(error).into());
    }
    // From here the package is complete (row and files); a draft that cannot be created leaves
    // it in the company's packages, where an editor can still choose it.
    let mut draft = OpportunityDraft::new(
        Modality::ELearning,
        LocalizedText::new(title.clone(), title),
        "de",
    );
    draft.package_id = Some(id);
    let opportunity = create_opportunity(store, catalogue, acting, scope, &draft).await?;
    Ok(UploadedPackage {
        package: record,
        opportunity,
        structure: extracted.to_string(),
    })
}

/// Writes a bare course structure as `cmi5.xml` into the new directory `target` (which must not
/// exist yet); on failure the directory is removed again, so nothing half-written stays.
fn write_course_xml(target: &Path, xml: &[u8]) -> AppResult<()> {
    let failed =
        |e: std::io::Error| AppError::Internal(format!("writing the course structure failed: {e}"));
    std::fs::create_dir(target).map_err(failed)?;
    std::fs::write(target.join(CMI5_XML), xml).map_err(|e| {
        let _ = std::fs::remove_dir_all(target);
        failed(e)
    })
}

/// The cmi5 course structure of a stored cmi5 package, read again from its directory (the
/// `cmi5.xml` a zip held at its root or in its single top-level folder, or the bare course
/// structure as uploaded). What the cmi5 runtime launches from.
///
/// A package of another kind is a validation error on `package_id`; a package whose `cmi5.xml`
/// is missing or no longer parses is an internal error (its upload was checked, so the content
/// directory was changed behind Mycel's back).
pub async fn cmi5_course(catalogue: &Catalogue, package: &PackageRecord) -> AppResult<Cmi5Course> {
    if package.kind != kind_name(PackageKind::Cmi5) {
        return Err(ValidationError::new(
            "package_id",
            format!("the package is {}, not cmi5", package.kind),
        )
        .into());
    }
    let path = package_dir(catalogue, package.tenant_id, package.id).join(CMI5_XML);
    let xml = tokio::fs::read(&path).await.map_err(|e| {
        AppError::Internal(format!(
            "the course structure of package {} cannot be read from {}: {e}",
            package.id,
            path.display()
        ))
    })?;
    mycel_package::parse_cmi5(&xml).map_err(|e| {
        AppError::Internal(format!(
            "the stored course structure of package {} no longer parses: {e}",
            package.id
        ))
    })
}

fn package_title(package: &Package) -> String {
    let title: String = package
        .title()
        .trim()
        .chars()
        .take(mycel_catalogue::opportunity::MAX_TITLE)
        .collect();
    if title.is_empty() {
        "E-Learning".to_owned()
    } else {
        title
    }
}

/// A file of a package to send: its place on disk and content type. Everyone of the company
/// may open its packages' files (the player loads them); `path` is relative to the package.
pub async fn package_file(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    package: PackageId,
    path: &str,
) -> AppResult<(PathBuf, &'static str)> {
    acting.require(Action::ViewCatalogue)?;
    store.package(scope, package).await?;
    file_of_package(catalogue, scope.tenant_id(), package, path).await
}

/// A file of a stored package: its place on disk and content type, or not found. No permission
/// check: the caller has made sure the file may be read.
pub async fn file_of_package(
    catalogue: &Catalogue,
    tenant: TenantId,
    package: PackageId,
    path: &str,
) -> AppResult<(PathBuf, &'static str)> {
    let relative = Path::new(path);
    let safe = !path.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if !safe {
        return Err(ValidationError::new("path", "not a file of the package").into());
    }
    let file = package_dir(catalogue, tenant, package).join(relative);
    match tokio::fs::metadata(&file).await {
        Ok(meta) if meta.is_file() => Ok((file, mycel_package::content_type_for(path))),
        _ => Err(AppError::NotFound("file")),
    }
}
