//! The catalogue's use cases: editing learning opportunities and providers (L&D of the whole
//! company), publishing and retiring them, finding them (full-text search with facets over every
//! opportunity a person may see), and reading one with everything it refers to.
//!
//! The search index (`mycel-search`) is kept in step with the store: every write here updates it
//! right after its transaction and records the catalogue revision it has seen; at start-up
//! [`Catalogue::open`] compares that revision with the store's and rebuilds the index when they
//! differ (a crash between the two, an index deleted, a schema change). Catalogue writes of this
//! process are serialised, so the index sees them in revision order.

use crate::{Acting, AppError, AppResult};
use chrono::{DateTime, Utc};
use mycel_catalogue::{
    audience_keys, Lifecycle, OpportunityDraft, OpportunityError, ProviderDraft, Viewer,
};
use mycel_competency_suggestions::{CompetencyText, LabelText, SuggestionIndex};
use mycel_organisation::{
    Action, CompetencyId, FrameworkId, OpportunityId, Principal, ProviderId, TenantId,
    ValidationError,
};
use mycel_search::{Lang, OpportunityDocument, SearchIndex, SearchQuery, SearchResults};
use mycel_store::catalogue::{OpportunityListQuery, OpportunityRecord, Provider};
use mycel_store::competencies::CompetencyRecord;
use mycel_store::{Store, TenantScope};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Opportunities per page when the index is rebuilt.
const REBUILD_PAGE: u32 = 1000;

/// The catalogue's state beside the store: the search index, where package files live, and the
/// lock that keeps this process's catalogue writes (and their index updates) in order.
#[derive(Debug)]
pub struct Catalogue {
    search: Arc<SearchIndex>,
    content_dir: PathBuf,
    writes: tokio::sync::Mutex<()>,
    suggestions: SuggestionCache,
    /// The index was created or recreated empty and has not been filled since.
    empty: std::sync::atomic::AtomicBool,
    /// An index update failed after its store write: rebuild at the next sync.
    stale: std::sync::atomic::AtomicBool,
}

/// The frameworks a suggestion index was built from: each framework's id and import time.
type FrameworkVersions = Vec<(FrameworkId, DateTime<Utc>)>;

/// Suggestion indexes by the frameworks they were built from: companies that see the same
/// frameworks (ESCO alone, typically) share one.
#[derive(Default)]
struct SuggestionCache {
    built: std::sync::Mutex<HashMap<FrameworkVersions, Arc<SuggestionIndex>>>,
    /// One build at a time (ESCO is 14,000 competencies).
    building: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for SuggestionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SuggestionCache").finish_non_exhaustive()
    }
}

impl Catalogue {
    /// Opens (or creates) the search index in `data_dir/search` and the package files in
    /// `data_dir/content`, and brings the index in step with the store.
    pub async fn open(store: &dyn Store, data_dir: &Path) -> AppResult<Self> {
        let index_dir = data_dir.join("search");
        let search = blocking(move || SearchIndex::open(index_dir)).await?;
        let catalogue = Self {
            search: Arc::new(search),
            content_dir: data_dir.join("content"),
            writes: tokio::sync::Mutex::new(()),
            suggestions: SuggestionCache::default(),
            empty: std::sync::atomic::AtomicBool::new(true),
            stale: std::sync::atomic::AtomicBool::new(false),
        };
        catalogue.sync_index(store).await?;
        Ok(catalogue)
    }

    /// An index in memory (tests, short-lived tools); package files in `content_dir`.
    pub async fn in_memory(store: &dyn Store, content_dir: PathBuf) -> AppResult<Self> {
        let search = blocking(SearchIndex::in_memory).await?;
        let catalogue = Self {
            search: Arc::new(search),
            content_dir,
            writes: tokio::sync::Mutex::new(()),
            suggestions: SuggestionCache::default(),
            empty: std::sync::atomic::AtomicBool::new(true),
            stale: std::sync::atomic::AtomicBool::new(false),
        };
        catalogue.sync_index(store).await?;
        Ok(catalogue)
    }

    /// For tools that write to the catalogue while a server may hold the index (the command
    /// line): an empty index of its own that is never searched; the server's index catches up
    /// with the store by itself ([`Catalogue::sync_index`], which `serve` runs periodically).
    pub async fn detached(content_dir: PathBuf) -> AppResult<Self> {
        let search = blocking(SearchIndex::in_memory).await?;
        Ok(Self {
            search: Arc::new(search),
            content_dir,
            writes: tokio::sync::Mutex::new(()),
            suggestions: SuggestionCache::default(),
            empty: std::sync::atomic::AtomicBool::new(false),
            stale: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Where the files of packages live (`<content_dir>/<tenant>/<package>/…`).
    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

    /// Rebuilds the index from the store unless it has seen the store's catalogue revision
    /// already. Returns how many opportunities were indexed (0 when it was in step).
    pub async fn sync_index(&self, store: &dyn Store) -> AppResult<usize> {
        let _writes = self.writes.lock().await;
        let revision = store.catalogue_revision().await?;
        let search = self.search.clone();
        let marker = blocking(move || search.commit_marker()).await?;
        let empty = self.empty.load(std::sync::atomic::Ordering::SeqCst)
            && self.search.open_status().needs_full_reindex();
        let stale = self.stale.load(std::sync::atomic::Ordering::SeqCst);
        let in_step = marker.as_deref() == Some(revision.to_string().as_str()) && !empty && !stale;
        if in_step {
            return Ok(0);
        }
        self.rebuild(store, revision).await
    }

    async fn rebuild(&self, store: &dyn Store, revision: i64) -> AppResult<usize> {
        let mut documents = Vec::new();
        let mut after = None;
        let mut context = IndexContext::default();
        loop {
            let page = store.catalogue_page(after, REBUILD_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.tenant_id, last.id));
            context.load(store, &page).await?;
            documents.extend(page.iter().map(|record| context.document(record)));
        }
        let count = documents.len();
        let search = self.search.clone();
        let marker = revision.to_string();
        blocking(move || search.replace_all(documents, Some(&marker))).await?;
        self.empty.store(false, std::sync::atomic::Ordering::SeqCst);
        self.stale.store(false, std::sync::atomic::Ordering::SeqCst);
        tracing::info!(opportunities = count, revision, "search index rebuilt");
        Ok(count)
    }

    /// Puts changed opportunities into the index after the store committed `produced` (the
    /// catalogue revision the write raised the counter to). The index's marker moves to it only
    /// when the index had seen the revision just before: otherwise another process wrote in
    /// between, the marker stays behind, and the next [`Catalogue::sync_index`] rebuilds. A
    /// failure is logged, not returned: the store holds the change, and the next sync brings
    /// the index in step (the caller's write succeeded and must not be reported as failed).
    async fn index_records(&self, store: &dyn Store, records: &[OpportunityRecord], produced: i64) {
        let mut context = IndexContext::default();
        if let Err(error) = context.load(store, records).await {
            tracing::warn!(%error, "the search index missed a change; the next sync rebuilds it");
            self.stale.store(true, std::sync::atomic::Ordering::SeqCst);
            return;
        }
        let changes: Vec<mycel_search::Change> = records
            .iter()
            .map(|record| mycel_search::Change::Upsert(Box::new(context.document(record))))
            .collect();
        let search = self.search.clone();
        let applied = blocking(move || {
            let seen = search.commit_marker()?.and_then(|m| m.parse::<i64>().ok());
            let next = (seen == Some(produced - 1)).then(|| produced.to_string());
            search.apply(changes, next.as_deref())
        })
        .await;
        if let Err(error) = applied {
            tracing::warn!(%error, "the search index missed a change; the next sync rebuilds it");
            self.stale.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    async fn index(&self, store: &dyn Store, record: &OpportunityRecord) {
        self.index_records(store, std::slice::from_ref(record), record.revision)
            .await;
    }

    /// Puts an opportunity into the index again after a write that raised the catalogue revision
    /// without changing the opportunity's row (its sessions). Call with the write lock held
    /// ([`Catalogue::lock_writes`]) around the store write.
    pub(crate) async fn reindex(
        &self,
        store: &dyn Store,
        id: OpportunityId,
        scope: TenantScope,
    ) -> AppResult<()> {
        let record = store.opportunity(scope, id).await?;
        let produced = store.catalogue_revision().await?;
        self.index_records(store, std::slice::from_ref(&record), produced)
            .await;
        Ok(())
    }

    /// Serialises this process's catalogue writes with their index updates.
    pub(crate) async fn lock_writes(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.writes.lock().await
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, mycel_search::SearchError> + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(format!("the search task failed: {e}")))?
        .map_err(|e| AppError::Internal(format!("search index: {e}")))
}

/// What documents need beyond the records: provider names and competency labels.
#[derive(Default)]
struct IndexContext {
    providers: HashMap<(TenantId, ProviderId), String>,
    labels: HashMap<CompetencyId, Vec<String>>,
    sessions: HashMap<OpportunityId, Vec<DateTime<Utc>>>,
    loaded_tenants: HashSet<TenantId>,
}

impl IndexContext {
    async fn load(&mut self, store: &dyn Store, records: &[OpportunityRecord]) -> AppResult<()> {
        let mut by_tenant: HashMap<TenantId, Vec<CompetencyId>> = HashMap::new();
        for record in records {
            let wanted = by_tenant.entry(record.tenant_id).or_default();
            wanted.extend(
                record
                    .draft
                    .alignments
                    .iter()
                    .map(|a| a.competency_id)
                    .filter(|id| !self.labels.contains_key(id)),
            );
        }
        let mut classroom: HashMap<TenantId, Vec<OpportunityId>> = HashMap::new();
        for record in records
            .iter()
            .filter(|r| r.draft.modality == mycel_catalogue::Modality::Classroom)
        {
            classroom
                .entry(record.tenant_id)
                .or_default()
                .push(record.id);
        }
        let now = Utc::now();
        for (tenant, ids) in classroom {
            for (opportunity, starts) in store
                .upcoming_session_starts(TenantScope::system(tenant), &ids, now)
                .await?
            {
                self.sessions.entry(opportunity).or_default().push(starts);
            }
        }
        for (tenant, mut ids) in by_tenant {
            let scope = TenantScope::system(tenant);
            if self.loaded_tenants.insert(tenant) {
                for provider in store.providers(scope).await? {
                    self.providers
                        .insert((tenant, provider.id), provider.draft.name);
                }
            }
            ids.sort();
            ids.dedup();
            if ids.is_empty() {
                continue;
            }
            for competency in store.competencies(scope, &ids).await? {
                self.labels
                    .insert(competency.id, competency_keywords(&competency));
            }
        }
        Ok(())
    }

    fn document(&self, record: &OpportunityRecord) -> OpportunityDocument {
        let draft = &record.draft;
        let texts = |de: &str, en: &str| {
            [(Lang::De, de), (Lang::En, en)]
                .into_iter()
                .filter(|(_, text)| !text.trim().is_empty())
                .map(|(lang, text)| (lang, text.to_owned()))
                .collect::<Vec<_>>()
        };
        OpportunityDocument {
            id: record.id.as_uuid(),
            owner_tenant: record.tenant_id.as_uuid(),
            titles: texts(&draft.title.de, &draft.title.en),
            descriptions: texts(&draft.description.de, &draft.description.en),
            keywords: draft
                .alignments
                .iter()
                .flat_map(|a| {
                    self.labels
                        .get(&a.competency_id)
                        .cloned()
                        .unwrap_or_default()
                })
                .collect(),
            modality: draft.modality.as_str().to_owned(),
            content_language: draft.content_language.clone(),
            duration_minutes: draft.duration_minutes,
            provider: draft.provider_id.map(|p| {
                self.providers
                    .get(&(record.tenant_id, p))
                    .cloned()
                    .unwrap_or_else(|| p.to_string())
            }),
            competencies: draft
                .alignments
                .iter()
                .map(|a| a.competency_id.as_uuid())
                .collect(),
            upcoming_sessions: self.sessions.get(&record.id).cloned().unwrap_or_default(),
            audience: audience_keys(record.tenant_id, &draft.audience),
            published: record.lifecycle == Lifecycle::Published,
            updated_at: record.updated_at,
        }
    }
}

/// The preferred labels of a competency in German and English, its keywords in the index.
fn competency_keywords(competency: &CompetencyRecord) -> Vec<String> {
    ["de", "en"]
        .iter()
        .filter_map(|lang| competency.labels.get(*lang))
        .map(|label| label.preferred.clone())
        .collect()
}

fn invalid(error: OpportunityError) -> AppError {
    ValidationError::new(error.field(), error.reason()).into()
}

/// The xAPI activity id of an opportunity: `<home>/catalog/opportunities/<id>` (its page).
pub fn activity_id(home_page: &str, id: OpportunityId) -> String {
    format!(
        "{}/catalog/opportunities/{id}",
        home_page.trim_end_matches('/')
    )
}

/// The opportunity an activity id names, if it is one of Mycel's ([`activity_id`]), or the
/// opportunity's cmi5 course (`<activity id>/course/<uuid>`, whose "satisfied" statement completes
/// it). Its AUs and blocks (`…/au/…`, `…/block/…`) and SCOs are parts, not the opportunity.
pub fn opportunity_of_activity(activity: &str) -> Option<OpportunityId> {
    let (_, rest) = activity.rsplit_once("/catalog/opportunities/")?;
    let (id, part) = rest.split_once('/').unwrap_or((rest, ""));
    let whole = part.is_empty()
        || part
            .strip_prefix("course/")
            .is_some_and(|course| !course.is_empty() && !course.contains('/'));
    if !whole {
        return None;
    }
    id.parse().ok()
}

/// Who is looking, for the audience rule and the index's keys.
pub async fn viewer(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Viewer> {
    match acting {
        // A network admin visiting another company sees it as a machine of that company would.
        Acting::Principal(Principal::Person {
            person_id,
            tenant_id,
            ..
        }) if *tenant_id == scope.tenant_id() => viewer_of(store, scope, *person_id).await,
        _ => Ok(Viewer::of_company(scope.tenant_id())),
    }
}

/// A person of the company as a viewer of the catalogue: their org unit path and their current
/// and aspired roles (who aims at a role may prepare for it).
pub async fn viewer_of(
    store: &dyn Store,
    scope: TenantScope,
    person: mycel_organisation::PersonId,
) -> AppResult<Viewer> {
    let mut viewer = Viewer::of_company(scope.tenant_id());
    let found = store.person(scope, person).await?;
    if let Some(unit) = found.org_unit_id {
        viewer.org_unit_path = store.org_unit_path(scope, unit).await?;
    }
    viewer.roles = store
        .role_assignments(scope, person)
        .await?
        .into_iter()
        .map(|a| a.role_id)
        .collect();
    Ok(viewer)
}

// ---- editing ----

/// Creates an opportunity of the company as a draft.
pub async fn create_opportunity(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    draft: &OpportunityDraft,
) -> AppResult<OpportunityRecord> {
    acting.require(Action::ManageCatalogue)?;
    draft.validate(None).map_err(invalid)?;
    check_audience(store, scope, draft).await?;
    let _writes = catalogue.writes.lock().await;
    let record = store
        .create_opportunity(scope, draft, Lifecycle::Draft)
        .await?;
    catalogue.index(store, &record).await;
    Ok(record)
}

/// Replaces what an editor writes about an opportunity of the company.
pub async fn update_opportunity(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    id: OpportunityId,
    draft: &OpportunityDraft,
) -> AppResult<OpportunityRecord> {
    acting.require(Action::ManageCatalogue)?;
    draft.validate(Some(id)).map_err(invalid)?;
    check_audience(store, scope, draft).await?;
    let _writes = catalogue.writes.lock().await;
    let current = own_opportunity(store, scope, id).await?;
    if current.lifecycle == Lifecycle::Published {
        draft.check_publishable().map_err(invalid)?;
    }
    if current.draft.modality == mycel_catalogue::Modality::Classroom
        && draft.modality != mycel_catalogue::Modality::Classroom
        && !store.sessions_of(scope, id).await?.is_empty()
    {
        return Err(ValidationError::new(
            "modality",
            "a classroom course with sessions stays a classroom course",
        )
        .into());
    }
    let record = store.update_opportunity(scope, id, draft).await?;
    catalogue.index(store, &record).await;
    Ok(record)
}

/// The org units and roles of an audience must be the company's own, and the companies must
/// exist (the search index matches them by id).
async fn check_audience(
    store: &dyn Store,
    scope: TenantScope,
    draft: &OpportunityDraft,
) -> AppResult<()> {
    use mycel_catalogue::AudienceEntry;
    for (i, entry) in draft.audience.iter().enumerate() {
        let known = match entry {
            AudienceEntry::Network => true,
            AudienceEntry::Company(tenant) => store.tenant(*tenant).await.is_ok(),
            AudienceEntry::OrgUnit(unit) => store.org_unit(scope, *unit).await.is_ok(),
            AudienceEntry::Role(role) => store.role(scope, *role).await.is_ok(),
        };
        if !known {
            return Err(ValidationError::new(
                "audience",
                format!(
                    "entry {} names no {} of this network or company",
                    i + 1,
                    entry.kind()
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// Publishes, retires or re-publishes an opportunity of the company.
pub async fn set_lifecycle(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    id: OpportunityId,
    lifecycle: Lifecycle,
) -> AppResult<OpportunityRecord> {
    acting.require(Action::ManageCatalogue)?;
    let _writes = catalogue.writes.lock().await;
    let current = own_opportunity(store, scope, id).await?;
    if !current.lifecycle.may_become(lifecycle) {
        return Err(invalid(OpportunityError::Lifecycle {
            from: current.lifecycle.as_str(),
            to: lifecycle.as_str(),
        }));
    }
    if lifecycle == Lifecycle::Published {
        current.draft.check_publishable().map_err(invalid)?;
        // Learners see published opportunities only: a program's parts go first.
        if !current.draft.parts.is_empty() {
            let part_ids = current.draft.part_ids();
            let parts = store.opportunities_by_id(scope, &part_ids).await?;
            let all_published = part_ids.iter().all(|part| {
                parts
                    .iter()
                    .any(|p| p.id == *part && p.lifecycle == Lifecycle::Published)
            });
            if !all_published {
                return Err(
                    ValidationError::new("parts", "publish the program's parts first").into(),
                );
            }
        }
    }
    if current.lifecycle == lifecycle {
        return Ok(current);
    }
    let record = store.set_lifecycle(scope, id, lifecycle).await?;
    catalogue.index(store, &record).await;
    Ok(record)
}

async fn own_opportunity(
    store: &dyn Store,
    scope: TenantScope,
    id: OpportunityId,
) -> AppResult<OpportunityRecord> {
    let record = store.opportunity(scope, id).await?;
    if record.tenant_id == scope.tenant_id() {
        Ok(record)
    } else {
        // Another company's offer: readable, not editable.
        Err(AppError::Forbidden)
    }
}

/// The company's own opportunities, for editors.
pub async fn list_opportunities(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    query: OpportunityListQuery,
) -> AppResult<Vec<OpportunityRecord>> {
    acting.require(Action::ManageCatalogue)?;
    Ok(store.list_opportunities(scope, query).await?)
}

// ---- providers ----

pub async fn create_provider(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    draft: &ProviderDraft,
) -> AppResult<Provider> {
    acting.require(Action::ManageCatalogue)?;
    draft.validate().map_err(provider_invalid)?;
    Ok(store.create_provider(scope, draft).await?)
}

/// Changes a provider; its name in the search index follows (the company's opportunities are
/// re-indexed).
pub async fn update_provider(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    id: ProviderId,
    draft: &ProviderDraft,
) -> AppResult<Provider> {
    acting.require(Action::ManageCatalogue)?;
    draft.validate().map_err(provider_invalid)?;
    let _writes = catalogue.writes.lock().await;
    let provider = store.update_provider(scope, id, draft).await?;
    // The provider's name is in its opportunities' documents.
    let produced = store.catalogue_revision().await?;
    let mut offered = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_opportunities(
                scope,
                OpportunityListQuery {
                    after,
                    limit: 1000,
                    lifecycle: None,
                },
            )
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        offered.extend(page.into_iter().filter(|r| r.draft.provider_id == Some(id)));
    }
    catalogue.index_records(store, &offered, produced).await;
    Ok(provider)
}

pub async fn providers(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<Provider>> {
    acting.require(Action::ViewCatalogue)?;
    Ok(store.providers(scope).await?)
}

fn provider_invalid(error: mycel_catalogue::ProviderError) -> AppError {
    ValidationError::new(error.field(), error.reason()).into()
}

// ---- reading ----

/// One opportunity with what a page shows about it.
#[derive(Debug, Clone)]
pub struct OpportunityView {
    pub record: OpportunityRecord,
    pub provider: Option<Provider>,
    /// The aligned and prerequisite competencies with their labels.
    pub competencies: Vec<CompetencyRecord>,
    /// Required opportunities and program parts the viewer may see.
    pub related: Vec<OpportunityRecord>,
    /// The viewer may edit it.
    pub editable: bool,
}

/// Reads an opportunity, if the viewer may see it: its company's editors always; everyone else
/// when it is published or retired and its audience admits them.
pub async fn opportunity(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: OpportunityId,
) -> AppResult<OpportunityView> {
    acting.require(Action::ViewCatalogue)?;
    let record = store.opportunity(scope, id).await?;
    let editable = record.tenant_id == scope.tenant_id() && acting.permits(Action::ManageCatalogue);
    if !editable {
        let viewer = viewer(store, acting, scope).await?;
        if record.lifecycle == Lifecycle::Draft
            || !viewer.admitted_by(record.tenant_id, &record.draft.audience)
        {
            return Err(AppError::NotFound("opportunity"));
        }
    }
    let provider = match record.draft.provider_id {
        Some(p) => Some(store.provider(scope, record.tenant_id, p).await?),
        None => None,
    };
    let mut competency_ids: Vec<CompetencyId> = record
        .draft
        .alignments
        .iter()
        .map(|a| a.competency_id)
        .chain(record.draft.prerequisites.iter().filter_map(|p| match p {
            mycel_catalogue::Prerequisite::Competency { competency_id, .. } => Some(*competency_id),
            mycel_catalogue::Prerequisite::Opportunity { .. } => None,
        }))
        .collect();
    competency_ids.sort();
    competency_ids.dedup();
    // Competencies are read as the owner sees them (its own framework may be among them).
    let owner_scope = TenantScope::system(record.tenant_id);
    let competencies = store.competencies(owner_scope, &competency_ids).await?;
    let related_ids = record.draft.depends_on();
    let related = if related_ids.is_empty() {
        Vec::new()
    } else {
        let viewer = if editable {
            None
        } else {
            Some(viewer(store, acting, scope).await?)
        };
        store
            .opportunities_by_id(scope, &related_ids)
            .await?
            .into_iter()
            .filter(|r| match &viewer {
                None => true,
                Some(viewer) => {
                    r.lifecycle != Lifecycle::Draft
                        && viewer.admitted_by(r.tenant_id, &r.draft.audience)
                }
            })
            .collect()
    };
    let mut record = record;
    if record.tenant_id != scope.tenant_id() {
        // Another company's offer: which other companies, units and roles it reaches is the
        // offering company's business.
        let reader = scope.tenant_id();
        record.draft.audience.retain(|entry| {
            matches!(entry, mycel_catalogue::AudienceEntry::Network)
                || *entry == mycel_catalogue::AudienceEntry::Company(reader)
        });
    }
    Ok(OpportunityView {
        record,
        provider,
        competencies,
        related,
        editable,
    })
}

/// What a catalogue search asks.
#[derive(Debug, Clone, Default)]
pub struct CatalogueSearch {
    pub text: String,
    pub language: String,
    pub filters: mycel_search::SearchFilters,
    pub sort: mycel_search::SortOrder,
    pub limit: usize,
    pub offset: usize,
    /// Editors: include the company's drafts and retired opportunities.
    pub include_unpublished: bool,
}

/// Searches every opportunity the viewer may see.
pub async fn search(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    request: CatalogueSearch,
) -> AppResult<SearchResults> {
    acting.require(Action::ViewCatalogue)?;
    if request.limit == 0 || request.limit > mycel_search::MAX_LIMIT {
        return Err(ValidationError::new(
            "limit",
            format!("must be between 1 and {}", mycel_search::MAX_LIMIT),
        )
        .into());
    }
    if request.text.chars().count() > 500 {
        return Err(ValidationError::new("q", "at most 500 characters").into());
    }
    let viewer = viewer(store, acting, scope).await?;
    let editor = request.include_unpublished && acting.permits(Action::ManageCatalogue);
    let mut query = SearchQuery::new(
        request.text,
        Lang::from_code(&request.language),
        viewer.keys(),
    );
    query.include_unpublished_of = editor.then(|| scope.tenant_id().as_uuid());
    query.filters = request.filters;
    query.sort = request.sort;
    query.limit = request.limit;
    query.offset = request.offset.min(mycel_search::MAX_OFFSET);
    query.now = Utc::now();
    let search = catalogue.search.clone();
    blocking(move || search.search(&query)).await
}

// ---- competency suggestions ----

/// A competency proposed for an opportunity's text, with the words that matched.
#[derive(Debug, Clone)]
pub struct CompetencySuggestion {
    pub competency: CompetencyRecord,
    pub score: f32,
    /// The label that matched best.
    pub label: String,
    /// "word of the text → word of the competency", each once.
    pub matched: Vec<String>,
}

/// Competencies per page when a suggestion index is built.
const VOCABULARY_PAGE: u32 = 5000;

/// The text competencies are proposed for.
#[derive(Debug, Clone, Default)]
pub struct SuggestionRequest {
    pub title: String,
    pub description: String,
    /// `de` or `en`; guessed from the text when absent.
    pub language: Option<String>,
    pub limit: usize,
}

/// Proposes the competencies of the frameworks the company sees that a title and description
/// are about (for an editor to accept as alignments).
pub async fn suggest_competencies(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    request: SuggestionRequest,
) -> AppResult<Vec<CompetencySuggestion>> {
    acting.require(Action::ManageCatalogue)?;
    competencies_in_text(store, catalogue, scope, request).await
}

/// The framework competencies a text is about, best first (no permission check: the callers
/// make theirs).
pub(crate) async fn competencies_in_text(
    store: &dyn Store,
    catalogue: &Catalogue,
    scope: TenantScope,
    request: SuggestionRequest,
) -> AppResult<Vec<CompetencySuggestion>> {
    let SuggestionRequest {
        title,
        description,
        language,
        limit,
    } = request;
    if title.chars().count() > mycel_catalogue::opportunity::MAX_TITLE
        || description.chars().count() > mycel_catalogue::opportunity::MAX_DESCRIPTION
    {
        return Err(ValidationError::new("text", "the title or description is too long").into());
    }
    if !(1..=50).contains(&limit) {
        return Err(ValidationError::new("limit", "must be between 1 and 50").into());
    }
    let index = suggestion_index(store, catalogue, scope).await?;
    let suggestions = tokio::task::spawn_blocking(move || {
        index.suggest(&title, &description, language.as_deref(), limit)
    })
    .await
    .map_err(|e| AppError::Internal(format!("the suggestion task failed: {e}")))?;
    let ids: Vec<CompetencyId> = suggestions.iter().map(|s| s.id.into()).collect();
    let mut records: HashMap<CompetencyId, CompetencyRecord> = store
        .competencies(scope, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(suggestions
        .into_iter()
        .filter_map(|s| {
            let competency = records.remove(&CompetencyId::from(s.id))?;
            let mut matched: Vec<String> = Vec::new();
            for term in &s.matched {
                let pair = format!("{} → {}", term.text_word, term.competency_word);
                if !matched.contains(&pair) {
                    matched.push(pair);
                }
            }
            Some(CompetencySuggestion {
                competency,
                score: s.score,
                label: s.label,
                matched,
            })
        })
        .collect())
}

async fn suggestion_index(
    store: &dyn Store,
    catalogue: &Catalogue,
    scope: TenantScope,
) -> AppResult<Arc<SuggestionIndex>> {
    let mut frameworks: FrameworkVersions = store
        .frameworks(scope)
        .await?
        .into_iter()
        .map(|f| (f.id, f.imported_at))
        .collect();
    frameworks.sort();
    let cached = |key: &FrameworkVersions| {
        catalogue
            .suggestions
            .built
            .lock()
            .ok()
            .and_then(|built| built.get(key).cloned())
    };
    if let Some(index) = cached(&frameworks) {
        return Ok(index);
    }
    let _building = catalogue.suggestions.building.lock().await;
    if let Some(index) = cached(&frameworks) {
        return Ok(index);
    }
    let mut texts = Vec::new();
    for (framework, _) in &frameworks {
        let mut after = None;
        loop {
            let page = store
                .framework_competencies(scope, *framework, after, VOCABULARY_PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            texts.extend(page.into_iter().map(|c| {
                CompetencyText {
                    id: c.id.as_uuid(),
                    kind: c.kind.as_str().to_owned(),
                    labels: c
                        .labels
                        .into_iter()
                        .map(|(lang, label)| LabelText {
                            lang,
                            preferred: label.preferred,
                            alternatives: label.alternatives,
                            description: label.description,
                        })
                        .collect(),
                }
            }));
        }
    }
    let count = texts.len();
    let index = tokio::task::spawn_blocking(move || SuggestionIndex::build(texts))
        .await
        .map_err(|e| AppError::Internal(format!("building the suggestion index failed: {e}")))?;
    let index = Arc::new(index);
    tracing::info!(competencies = count, "competency suggestion index built");
    if let Ok(mut built) = catalogue.suggestions.built.lock() {
        // Indexes of framework versions no longer seen by anyone would pile up: keep it small.
        if built.len() >= 8 {
            built.clear();
        }
        built.insert(frameworks, index.clone());
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn activities_name_the_opportunity_or_its_parts() {
        let id = OpportunityId::generate();
        let home = "https://mycel.example.com";
        let whole = activity_id(home, id);
        assert_eq!(opportunity_of_activity(&whole), Some(id));
        // The cmi5 course is the opportunity; its AUs and blocks are parts.
        let course = format!("{whole}/course/0b0c6a52-2c8c-5d43-9d6e-3c7a0d4e1f10");
        assert_eq!(opportunity_of_activity(&course), Some(id));
        assert_eq!(opportunity_of_activity(&format!("{whole}/au/x")), None);
        assert_eq!(opportunity_of_activity(&format!("{whole}/block/x")), None);
        assert_eq!(opportunity_of_activity(&format!("{whole}/course/")), None);
        assert_eq!(
            opportunity_of_activity(&format!("{whole}/course/a/b")),
            None
        );
        assert_eq!(opportunity_of_activity("https://example.com/other"), None);
    }
}
