//! The index: its directory, writes (serialised, committed and visible on return) and searches.

use std::borrow::Borrow;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use uuid::Uuid;

use crate::analysis::{
    self, Analyzers, QueryWord, ANALYZER_DE, ANALYZER_EN, ANALYZER_PLAIN, ANALYZER_REVERSED,
};
use crate::collector::{CatalogueCollector, Facts, Plan, TermCache};
use crate::document::{DurationBucket, Lang, OpportunityDocument, Provider, SessionWindow};
use crate::error::SearchError;
use crate::highlight::highlight;
use crate::query::{text_query, visibility_query, SearchQuery, MAX_LIMIT, MAX_OFFSET};
use crate::results::{FacetCount, FacetCounts, SearchHit, SearchResults};
use crate::schema::{self, Fields, SCHEMA_VERSION};

/// File in the index directory holding the [`SCHEMA_VERSION`] the index was written with.
pub const VERSION_FILE: &str = "mycel-search-version";
/// Sub-directory of the index directory holding tantivy's files.
pub const DATA_DIR: &str = "tantivy";

/// Memory the writer may use before it flushes a segment.
const WRITER_MEMORY_BYTES: usize = 64_000_000;
const TITLE_CHARS: usize = 300;
const SNIPPET_CHARS: usize = 200;

/// How [`SearchIndex::open`] found its directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenStatus {
    /// There was no index: it is empty.
    Created,
    /// The index was opened as it was.
    Opened,
    /// The index was written with another schema version (or an unreadable one) and has been
    /// deleted and recreated empty: feed it every document again ([`SearchIndex::replace_all`]).
    Rebuilt {
        /// The version found, if it could be read.
        previous_version: Option<u32>,
    },
}

impl OpenStatus {
    /// Does the application have to feed the whole catalogue?
    pub fn needs_full_reindex(&self) -> bool {
        !matches!(self, OpenStatus::Opened)
    }
}

/// One change to apply with [`SearchIndex::apply`].
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Add or replace a document.
    Upsert(Box<OpportunityDocument>),
    /// Remove a document (nothing happens if it is absent).
    Remove(Uuid),
}

struct WriterState {
    writer: IndexWriter<TantivyDocument>,
    marker: Option<String>,
}

/// The full-text index of the learning catalogue.
///
/// `Send + Sync`: share it behind an `Arc`. Searches run concurrently; writes are serialised by
/// an internal mutex, and each write method commits and reloads the reader before it returns,
/// so the next search sees it.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<WriterState>,
    fields: Fields,
    analyzers: Analyzers,
    terms: Arc<TermCache>,
    status: OpenStatus,
    directory: Option<PathBuf>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("directory", &self.directory)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

fn register_analyzers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(ANALYZER_DE, analysis::german());
    manager.register(ANALYZER_EN, analysis::english());
    manager.register(ANALYZER_PLAIN, analysis::plain());
    manager.register(ANALYZER_REVERSED, analysis::reversed());
}

/// Reads the version file: `Ok(None)` if absent, `Ok(Some(None))` if unreadable as a number.
fn read_version(path: &Path) -> Result<Option<Option<u32>>, SearchError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text.trim().parse::<u32>().ok())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(SearchError::io("read the schema version file", path)(error)),
    }
}

impl SearchIndex {
    /// Opens the index in `directory`, creating it if missing. An index written with another
    /// [`SCHEMA_VERSION`] (or another schema) is deleted and recreated empty; see
    /// [`SearchIndex::open_status`]. Only one `SearchIndex` (in any process) may have a
    /// directory open at a time.
    pub fn open(directory: impl AsRef<Path>) -> Result<SearchIndex, SearchError> {
        let directory = directory.as_ref();
        fs::create_dir_all(directory)
            .map_err(SearchError::io("create the index directory", directory))?;
        let version_path = directory.join(VERSION_FILE);
        let data = directory.join(DATA_DIR);
        let found = read_version(&version_path)?;
        let (schema, fields) = schema::build();
        let has_index = data.join("meta.json").exists();

        let mut opened = None;
        if has_index && found == Some(Some(SCHEMA_VERSION)) {
            let index = Index::open_in_dir(&data).map_err(SearchError::index("open"))?;
            if index.schema() == schema {
                opened = Some(index);
            }
        }
        let (index, status) = match opened {
            Some(index) => (index, OpenStatus::Opened),
            None => {
                if data.exists() {
                    fs::remove_dir_all(&data)
                        .map_err(SearchError::io("delete the outdated index", &data))?;
                }
                fs::create_dir_all(&data)
                    .map_err(SearchError::io("create the index directory", &data))?;
                let index = Index::create_in_dir(&data, schema)
                    .map_err(SearchError::index("create the index"))?;
                fs::write(&version_path, format!("{SCHEMA_VERSION}\n")).map_err(
                    SearchError::io("write the schema version file", &version_path),
                )?;
                let status = if has_index || found.is_some() {
                    OpenStatus::Rebuilt {
                        previous_version: found.flatten(),
                    }
                } else {
                    OpenStatus::Created
                };
                (index, status)
            }
        };
        Self::from_index(index, fields, status, Some(directory.to_path_buf()))
    }

    /// An index in memory (tests, small demos).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        Self::from_index(index, fields, OpenStatus::Created, None)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        status: OpenStatus,
        directory: Option<PathBuf>,
    ) -> Result<SearchIndex, SearchError> {
        register_analyzers(&index);
        let marker = index
            .load_metas()
            .map_err(SearchError::index("read the commit metadata"))?
            .payload;
        let writer = index
            .writer_with_num_threads(1, WRITER_MEMORY_BYTES)
            .map_err(SearchError::index("start the writer"))?;
        let reader = index
            .reader_builder()
            // Our commits reload explicitly; this also picks up background merges.
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(SearchError::index("start the reader"))?;
        Ok(SearchIndex {
            reader,
            writer: Mutex::new(WriterState { writer, marker }),
            fields,
            analyzers: Analyzers::new(),
            terms: Arc::default(),
            status,
            directory,
        })
    }

    /// How the directory was found when the index was opened.
    pub fn open_status(&self) -> &OpenStatus {
        &self.status
    }

    /// The marker stored with the last commit that set one (see [`SearchIndex::apply`]), e.g.
    /// the database change position the index is in step with. `None` for a new index.
    pub fn commit_marker(&self) -> Result<Option<String>, SearchError> {
        Ok(self.lock()?.marker.clone())
    }

    /// Number of documents in the index (all of them, whoever may see them).
    pub fn num_documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn lock(&self) -> Result<MutexGuard<'_, WriterState>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::WriterPoisoned)
    }

    fn id_term(&self, id: Uuid) -> Term {
        Term::from_field_text(self.fields.id, &id.to_string())
    }

    fn commit(&self, state: &mut WriterState, marker: Option<&str>) -> Result<(), SearchError> {
        if let Some(marker) = marker {
            state.marker = Some(marker.to_string());
        }
        let result = (|| {
            let mut prepared = state.writer.prepare_commit()?;
            if let Some(marker) = &state.marker {
                prepared.set_payload(marker);
            }
            prepared.commit()?;
            self.reader.reload()?;
            let live = self
                .reader
                .searcher()
                .segment_readers()
                .iter()
                .map(|segment| segment.segment_id())
                .collect();
            self.terms.retain(&live);
            Ok(())
        })();
        if let Err(source) = result {
            // Drop what was not committed, so the next write starts clean.
            let _ = state.writer.rollback();
            return Err(SearchError::Index {
                action: "commit",
                source,
            });
        }
        Ok(())
    }

    /// Adds or replaces one document; visible to the next search.
    pub fn upsert(&self, document: &OpportunityDocument) -> Result<(), SearchError> {
        let mut state = self.lock()?;
        self.stage_upsert(&mut state, document)?;
        self.commit(&mut state, None)
    }

    fn stage_upsert(
        &self,
        state: &mut WriterState,
        document: &OpportunityDocument,
    ) -> Result<(), SearchError> {
        state.writer.delete_term(self.id_term(document.id));
        state
            .writer
            .add_document(self.fields.document(document))
            .map_err(SearchError::index("add a document"))?;
        Ok(())
    }

    /// Adds or replaces many documents in one commit. Returns how many.
    pub fn upsert_many<I>(&self, documents: I) -> Result<usize, SearchError>
    where
        I: IntoIterator,
        I::Item: Borrow<OpportunityDocument>,
    {
        let mut state = self.lock()?;
        let mut count = 0;
        for document in documents {
            if let Err(error) = self.stage_upsert(&mut state, document.borrow()) {
                let _ = state.writer.rollback();
                return Err(error);
            }
            count += 1;
        }
        self.commit(&mut state, None)?;
        Ok(count)
    }

    /// Removes a document (nothing happens if it is absent); visible to the next search.
    pub fn remove(&self, id: Uuid) -> Result<(), SearchError> {
        let mut state = self.lock()?;
        state.writer.delete_term(self.id_term(id));
        self.commit(&mut state, None)
    }

    /// Applies changes in one commit, storing `marker` with it if given (a commit without a
    /// marker keeps the previous one). Returns the number of changes.
    pub fn apply<I>(&self, changes: I, marker: Option<&str>) -> Result<usize, SearchError>
    where
        I: IntoIterator<Item = Change>,
    {
        let mut state = self.lock()?;
        let mut count = 0;
        for change in changes {
            let staged = match &change {
                Change::Upsert(document) => self.stage_upsert(&mut state, document),
                Change::Remove(id) => {
                    state.writer.delete_term(self.id_term(*id));
                    Ok(())
                }
            };
            if let Err(error) = staged {
                let _ = state.writer.rollback();
                return Err(error);
            }
            count += 1;
        }
        self.commit(&mut state, marker)?;
        Ok(count)
    }

    /// Replaces the whole content in one commit (searches see the old content until it is done),
    /// storing `marker` with it if given. An id given twice is kept once, the last. Returns the
    /// number of documents given.
    pub fn replace_all<I>(&self, documents: I, marker: Option<&str>) -> Result<usize, SearchError>
    where
        I: IntoIterator,
        I::Item: Borrow<OpportunityDocument>,
    {
        let mut state = self.lock()?;
        if let Err(source) = state.writer.delete_all_documents() {
            let _ = state.writer.rollback();
            return Err(SearchError::Index {
                action: "clear the index",
                source,
            });
        }
        let mut count = 0;
        for document in documents {
            // An upsert, so that an id given twice is kept once (the last).
            if let Err(error) = self.stage_upsert(&mut state, document.borrow()) {
                let _ = state.writer.rollback();
                return Err(error);
            }
            count += 1;
        }
        self.commit(&mut state, marker)?;
        Ok(count)
    }

    /// Stores a new commit marker without changing documents.
    pub fn set_commit_marker(&self, marker: &str) -> Result<(), SearchError> {
        let mut state = self.lock()?;
        self.commit(&mut state, Some(marker))
    }

    /// Searches the catalogue.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let words = self.analyzers.query_words(&query.text);
        let Some(visibility) = visibility_query(&self.fields, query) else {
            return Ok(SearchResults {
                facets: facet_counts(Facts::default(), query),
                ..SearchResults::default()
            });
        };
        let full: Box<dyn Query> = if words.is_empty() {
            visibility
        } else {
            Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    text_query(&self.fields, &words, query.viewer_language),
                ),
                (Occur::Must, visibility),
            ]))
        };
        let limit = query.limit.min(MAX_LIMIT);
        let offset = query.offset.min(MAX_OFFSET);
        let plan = plan(query, !words.is_empty(), offset + limit);
        let searcher = self.reader.searcher();
        let facts = searcher
            .search(
                &*full,
                &CatalogueCollector {
                    plan: Arc::new(plan),
                    cache: Arc::clone(&self.terms),
                },
            )
            .map_err(SearchError::index("search"))?;
        let mut hits = Vec::new();
        for candidate in facts.hits.iter().skip(offset).take(limit) {
            let stored: TantivyDocument = searcher
                .doc(DocAddress::new(candidate.segment, candidate.doc))
                .map_err(SearchError::index("read a stored document"))?;
            let mut hit = self.hit(&stored, &words, query.viewer_language)?;
            hit.score = candidate.score;
            hit.next_session = candidate
                .session
                .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0));
            hits.push(hit);
        }
        Ok(SearchResults {
            total: facts.total,
            hits,
            facets: facet_counts(facts, query),
        })
    }

    fn hit(
        &self,
        stored: &TantivyDocument,
        words: &[QueryWord],
        viewer: Lang,
    ) -> Result<SearchHit, SearchError> {
        let id_text = stored
            .get_first(self.fields.id)
            .and_then(|value| value.as_str())
            .ok_or_else(|| SearchError::CorruptDocument {
                detail: "no id stored".to_string(),
            })?;
        let id = Uuid::parse_str(id_text).map_err(|_| SearchError::CorruptDocument {
            detail: format!("id {id_text:?}"),
        })?;
        let best = |field_of: fn(&Fields, Lang) -> tantivy::schema::Field, max_chars: usize| {
            let mut best: Option<(usize, u8, Lang, String)> = None;
            for lang in [viewer, viewer.other()] {
                let field = field_of(&self.fields, lang);
                for value in stored.get_all(field) {
                    let Some(text) = value.as_str() else { continue };
                    let out = highlight(&self.analyzers, field, words, text, max_chars);
                    let rank = u8::from(lang == viewer);
                    let better = best
                        .as_ref()
                        .is_none_or(|(m, r, _, _)| (out.matches, rank) > (*m, *r));
                    if better {
                        best = Some((out.matches, rank, lang, out.html));
                    }
                }
            }
            best
        };
        let (title_language, title_html) = best(Fields::title, TITLE_CHARS)
            .map_or((viewer, String::new()), |(_, _, lang, html)| (lang, html));
        let snippet_html =
            best(Fields::description, SNIPPET_CHARS).map_or(String::new(), |(_, _, _, html)| html);
        Ok(SearchHit {
            id,
            score: 0.0,
            title_language,
            title_html,
            snippet_html,
            next_session: None,
        })
    }
}

fn plan(query: &SearchQuery, has_text: bool, keep: usize) -> Plan {
    let filters = &query.filters;
    let now = query.now.timestamp();
    let durations = if filters.durations.is_empty() {
        None
    } else {
        let mut allowed = [false; 6];
        for bucket in &filters.durations {
            allowed[bucket.index()] = true;
        }
        Some(allowed)
    };
    let providers = if filters.providers.is_empty() {
        None
    } else {
        let internal = filters.providers.contains(&Provider::Internal);
        let names = filters
            .providers
            .iter()
            .filter_map(|p| match p {
                Provider::External(name) => Some(name.clone()),
                Provider::Internal => None,
            })
            .collect();
        Some((internal, names))
    };
    let sessions = filters.sessions.map(|range| {
        let from = range.from.map_or(now, |f| f.timestamp().max(now));
        let to = range.to.map_or(i64::MAX, |t| t.timestamp());
        (from, to)
    });
    Plan {
        modalities: filters.modalities.iter().cloned().collect(),
        languages: filters.languages.iter().cloned().collect(),
        durations,
        providers,
        competencies: filters.competencies.iter().map(Uuid::to_string).collect(),
        sessions,
        now,
        sort: query.sort,
        has_text,
        keep,
    }
}

fn string_facet(
    counts: std::collections::BTreeMap<String, u64>,
    selected: impl Iterator<Item = String>,
) -> Vec<FacetCount<String>> {
    let mut list: Vec<FacetCount<String>> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    for value in selected {
        if !list.iter().any(|entry| entry.value == value) {
            list.push(FacetCount { value, count: 0 });
        }
    }
    sort_facet(&mut list);
    list
}

fn sort_facet<T: Ord>(list: &mut [FacetCount<T>]) {
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
}

fn facet_counts(facts: Facts, query: &SearchQuery) -> FacetCounts {
    let filters = &query.filters;
    let mut provider: Vec<FacetCount<Provider>> = facts
        .provider
        .into_iter()
        .map(|(name, count)| FacetCount {
            value: Provider::External(name),
            count,
        })
        .collect();
    if facts.internal > 0 {
        provider.push(FacetCount {
            value: Provider::Internal,
            count: facts.internal,
        });
    }
    for selected in &filters.providers {
        if !provider.iter().any(|entry| entry.value == *selected) {
            provider.push(FacetCount {
                value: selected.clone(),
                count: 0,
            });
        }
    }
    sort_facet(&mut provider);
    let mut competency: Vec<FacetCount<Uuid>> = facts
        .competency
        .into_iter()
        .filter_map(|(id, count)| {
            Uuid::parse_str(&id)
                .ok()
                .map(|value| FacetCount { value, count })
        })
        .collect();
    for selected in &filters.competencies {
        if !competency.iter().any(|entry| entry.value == *selected) {
            competency.push(FacetCount {
                value: *selected,
                count: 0,
            });
        }
    }
    sort_facet(&mut competency);
    FacetCounts {
        modality: string_facet(facts.modality, filters.modalities.iter().cloned()),
        content_language: string_facet(facts.language, filters.languages.iter().cloned()),
        duration: DurationBucket::ALL
            .iter()
            .map(|bucket| FacetCount {
                value: *bucket,
                count: facts.duration[bucket.index()],
            })
            .collect(),
        provider,
        competency,
        sessions: SessionWindow::ALL
            .iter()
            .zip(facts.sessions)
            .map(|(window, count)| FacetCount {
                value: *window,
                count,
            })
            .collect(),
    }
}
