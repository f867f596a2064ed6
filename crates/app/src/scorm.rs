//! The SCORM player's use cases: launching a SCORM opportunity (the person's open attempt, or a new
//! one, with what each SCO starts from), the SCO files of an attempt, and commits of run-time data,
//! each turned into xAPI statements about the attempt (see docs/scorm.md).
//!
//! The rules themselves (the data model, resume, which change means which statement) live in
//! `mycel-scorm`; this module reads and writes the store and the LRS around them.

use crate::catalogue::{activity_id, Catalogue};
use crate::statement_feed::StatementSignal;
use crate::{Acting, AppError, AppResult};
use chrono::Utc;
use mycel_organisation::{OpportunityId, PersonId, ValidationError};
use mycel_scorm::launch::{launch_cmi, Learner, Saved};
use mycel_scorm::progress::package_score;
use mycel_scorm::statements::{course_statement, sco_statement, AttemptContext};
use mycel_scorm::{package_result, Event, PackageResult, ScoFacts, ScoProgress, ScormVersion};
use mycel_store::catalogue::{OpportunityRecord, PackageRecord};
use mycel_store::scorm::{ScoCommit, ScoRuntime, ScormAttempt};
use mycel_store::{Store, StoreError, TenantScope};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use uuid::Uuid;

/// A launchable unit of the package as the upload stored it.
#[derive(Debug, Clone, Deserialize)]
struct StoredUnit {
    kind: String,
    id: String,
    #[serde(default)]
    title: String,
    launch: String,
    #[serde(default)]
    mastery_score: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct StoredStructure {
    #[serde(default)]
    units: Vec<StoredUnit>,
}

/// One entry of the player's table of contents.
#[derive(Debug, Clone)]
pub struct PlayerUnit {
    /// The item identifier in the manifest.
    pub id: String,
    pub title: String,
    /// Relative to the package root, with its query.
    pub launch: String,
    /// A SCO talks to the API and is tracked; an asset is only shown.
    pub sco: bool,
    /// The SCO's status in this attempt (`not attempted` before its first commit).
    pub status: String,
    /// The `cmi` data the SCO starts from.
    pub cmi: Value,
}

/// What the player page shows.
#[derive(Debug, Clone)]
pub struct Player {
    pub opportunity: OpportunityRecord,
    pub attempt: ScormAttempt,
    /// The attempt was opened by this launch (not resumed).
    pub new_attempt: bool,
    pub version: ScormVersion,
    pub units: Vec<PlayerUnit>,
}

/// What a commit changed.
#[derive(Debug, Clone)]
pub struct CommitOutcome {
    pub attempt: ScormAttempt,
    pub events: Vec<Event>,
    /// The SCO's status after the commit.
    pub sco_status: String,
    /// The package's result, when this commit completed it.
    pub package_result: Option<PackageResult>,
    /// Statements stored in the LRS for this commit.
    pub statements: usize,
}

fn the_person(acting: Acting<'_>) -> AppResult<PersonId> {
    match acting {
        Acting::Principal(p) => p.person_id().ok_or(AppError::Forbidden),
        Acting::Operator => Err(AppError::Forbidden),
    }
}

fn units_of(package: &PackageRecord) -> AppResult<Vec<StoredUnit>> {
    serde_json::from_str::<StoredStructure>(&package.structure)
        .map(|s| s.units)
        .map_err(|e| AppError::Internal(format!("the stored package structure is unreadable: {e}")))
}

fn version_of(package: &PackageRecord) -> AppResult<ScormVersion> {
    ScormVersion::of_package_kind(&package.kind).ok_or(AppError::NotFound("SCORM package"))
}

fn progress_of(runtime: &ScoRuntime) -> AppResult<(ScoProgress, Value)> {
    let progress = serde_json::from_str(&runtime.progress)
        .map_err(|e| AppError::Internal(format!("stored SCO progress is unreadable: {e}")))?;
    let cmi = serde_json::from_str(&runtime.cmi)
        .map_err(|e| AppError::Internal(format!("stored SCO data is unreadable: {e}")))?;
    Ok((progress, cmi))
}

/// The opportunity the person may see, and its SCORM package (their company's own: a package
/// offered by another company is played in that company's Mycel).
async fn scorm_opportunity(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
) -> AppResult<(OpportunityRecord, PackageRecord, ScormVersion)> {
    let view = crate::catalogue::opportunity(store, acting, scope, opportunity).await?;
    let record = view.record;
    let package_id = record
        .draft
        .package_id
        .filter(|_| record.tenant_id == scope.tenant_id())
        .ok_or(AppError::NotFound("SCORM package"))?;
    let package = store.package(scope, package_id).await?;
    let version = version_of(&package)?;
    Ok((record, package, version))
}

/// Opens the player: the person's open attempt at the opportunity, or a new one, with the data
/// each SCO starts from (resumed where a SCO was suspended).
pub async fn launch(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
) -> AppResult<Player> {
    let person_id = the_person(acting)?;
    let (record, package, version) = scorm_opportunity(store, acting, scope, opportunity).await?;
    let units = units_of(&package)?;
    if units.is_empty() {
        return Err(AppError::NotFound("SCO"));
    }
    let person = store.person(scope, person_id).await?;
    let (attempt, new_attempt) = store
        .open_scorm_attempt(scope, person_id, record.id, package.id)
        .await?;
    let saved: HashMap<String, (ScoProgress, Value)> = store
        .sco_runtimes(scope, attempt.id)
        .await?
        .iter()
        .map(|r| Ok((r.sco_id.clone(), progress_of(r)?)))
        .collect::<AppResult<_>>()?;
    let learner_id = person_id.to_string();
    let learner = Learner {
        id: &learner_id,
        name: &person.display_name,
    };
    let units = units
        .into_iter()
        .map(|unit| {
            let kept = saved.get(&unit.id);
            let cmi = launch_cmi(
                version,
                learner,
                unit.mastery_score,
                kept.map(|(progress, cmi)| Saved { cmi, progress }),
            );
            PlayerUnit {
                sco: unit.kind == "SCO",
                status: kept
                    .map_or("not attempted", |(p, _)| p.facts.status())
                    .to_owned(),
                cmi,
                id: unit.id,
                title: unit.title,
                launch: unit.launch,
            }
        })
        .collect();
    Ok(Player {
        opportunity: record,
        attempt,
        new_attempt,
        version,
        units,
    })
}

/// The attempt, if it is the acting person's own (anyone else: not found).
async fn own_attempt(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    attempt: Uuid,
) -> AppResult<ScormAttempt> {
    let person = the_person(acting)?;
    let found = store.scorm_attempt(scope, attempt).await?;
    if found.person_id != person {
        return Err(AppError::NotFound("attempt"));
    }
    Ok(found)
}

/// A file of the package of an attempt, for the attempt's owner only (the SCO runs in Mycel's
/// origin so that it reaches the API of the player; see docs/scorm.md).
pub async fn attempt_file(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    attempt: Uuid,
    path: &str,
) -> AppResult<(PathBuf, &'static str)> {
    let attempt = own_attempt(store, acting, scope, attempt).await?;
    crate::packages::package_file(store, catalogue, acting, scope, attempt.package_id, path).await
}

/// Stores a SCO's commit: checks it against the data model, saves it with the attempt's new
/// state, and records the statements its change of state means (`home_page`: Mycel's public
/// address). A commit to a finished attempt or another person's attempt is refused.
#[allow(clippy::too_many_arguments)]
pub async fn commit(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    signal: &StatementSignal,
    home_page: &str,
    attempt: Uuid,
    sco_id: &str,
    body: &Value,
) -> AppResult<CommitOutcome> {
    let attempt = own_attempt(store, acting, scope, attempt).await?;
    if attempt.finished_at.is_some() {
        return Err(AppError::Store(StoreError::Conflict(
            "the attempt is finished; open the course again for a new attempt".into(),
        )));
    }
    let package = store.package(scope, attempt.package_id).await?;
    let version = version_of(&package)?;
    let units = units_of(&package)?;
    let scos: Vec<&StoredUnit> = units.iter().filter(|u| u.kind == "SCO").collect();
    let unit = scos
        .iter()
        .find(|u| u.id == sco_id)
        .ok_or(AppError::NotFound("SCO"))?;
    let commit = mycel_scorm::validate_commit(version, body)
        .map_err(|e| ValidationError::new("cmi", e.to_string()))?;

    let runtimes = store.sco_runtimes(scope, attempt.id).await?;
    let mut states: HashMap<String, ScoProgress> = HashMap::new();
    let mut current: Option<(ScoProgress, Value, i64)> = None;
    for runtime in &runtimes {
        let (progress, cmi) = progress_of(runtime)?;
        if runtime.sco_id == sco_id {
            current = Some((progress.clone(), cmi, runtime.revision));
        }
        states.insert(runtime.sco_id.clone(), progress);
    }
    let (before, stored_cmi, read_revision) = match current {
        Some((p, c, r)) => (p, Some(c), Some(r)),
        None => (ScoProgress::default(), None, None),
    };
    let (after, events) = before.apply(version, stored_cmi.as_ref(), &commit);
    states.insert(sco_id.to_owned(), after.clone());

    let all: Vec<Option<&ScoFacts>> = scos
        .iter()
        .map(|u| states.get(&u.id).map(|p| &p.facts))
        .collect();
    let result = package_result(&all);
    let score = package_score(&all);
    let newly_done = match result {
        Some(r)
            if PackageResult::parse(&attempt.status) != Some(r)
                && attempt.status == "incomplete" =>
        {
            Some(r)
        }
        _ => None,
    };
    let finish = result.is_some() && states.values().all(|p| !p.session_open);
    let status = match PackageResult::parse(&attempt.status) {
        Some(done) => done.as_str(),
        None => result.map_or("incomplete", PackageResult::as_str),
    };
    let write = ScoCommit {
        sco_id: sco_id.to_owned(),
        cmi: commit.cmi.to_string(),
        progress: serde_json::to_string(&after)
            .map_err(|e| AppError::Internal(format!("SCO progress: {e}")))?,
        status: after.facts.status().to_owned(),
        score: after.facts.score.as_ref().and_then(|s| s.fraction()),
        read_revision,
        attempt_status: status.to_owned(),
        attempt_score: if result.is_some() {
            score
        } else {
            attempt.score
        },
        finish,
    };
    let (saved_attempt, _) = store.save_sco_commit(scope, attempt.id, &write).await?;

    let person = attempt.person_id.to_string();
    let course_id = activity_id(home_page, saved_attempt.opportunity_id);
    let opportunity = store
        .opportunity(scope, saved_attempt.opportunity_id)
        .await?;
    let names = [
        ("de-DE", opportunity.draft.title.de.as_str()),
        ("en-US", opportunity.draft.title.en.as_str()),
    ];
    let ctx = AttemptContext {
        home_page,
        person_id: &person,
        course_id: &course_id,
        course_names: &names,
        registration: attempt.id,
        timestamp: Utc::now(),
    };
    let mut statements: Vec<Value> = events
        .iter()
        .map(|event| {
            sco_statement(
                &ctx,
                &unit.id,
                &unit.title,
                after.sessions,
                *event,
                &after.facts,
            )
        })
        .collect();
    if let Some(done) = newly_done {
        statements.push(course_statement(&ctx, done, score));
    }
    let count = statements.len();
    crate::lrs::record_own_statements(store, scope, home_page, statements, signal, "SCORM").await?;
    Ok(CommitOutcome {
        attempt: saved_attempt,
        events,
        sco_status: after.facts.status().to_owned(),
        package_result: newly_done,
        statements: count,
    })
}
