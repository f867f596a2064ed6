//! One pass over the documents matching the text and visibility: the page of hits (documents
//! passing every facet filter) and the facet counts (each facet counted with the other facets'
//! filters applied but not its own).

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::sync::{Arc, PoisonError, RwLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

use crate::document::{DurationBucket, SessionWindow};
use crate::query::SortOrder;
use crate::schema::{
    F_COMPETENCIES, F_DURATION, F_LANGUAGE, F_MODALITY, F_PROVIDER, F_SESSIONS, F_UPDATED_AT,
};

const DIM_MODALITY: u8 = 1;
const DIM_LANGUAGE: u8 = 1 << 1;
const DIM_DURATION: u8 = 1 << 2;
const DIM_PROVIDER: u8 = 1 << 3;
const DIM_COMPETENCY: u8 = 1 << 4;
const DIM_SESSIONS: u8 = 1 << 5;

const DAY_SECONDS: i64 = 24 * 60 * 60;

/// What the collector needs to know of the query, shared by its segment collectors.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Filter values per string facet; empty = no filter.
    pub modalities: Vec<String>,
    pub languages: Vec<String>,
    /// Allowed duration buckets; `None` = no filter.
    pub durations: Option<[bool; 6]>,
    /// Internal allowed, external names allowed; `None` = no filter.
    pub providers: Option<(bool, Vec<String>)>,
    pub competencies: Vec<String>,
    /// Session filter, seconds, inclusive.
    pub sessions: Option<(i64, i64)>,
    pub now: i64,
    pub sort: SortOrder,
    pub has_text: bool,
    /// offset + limit.
    pub keep: usize,
}

/// A hit candidate.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    primary: f64,
    secondary: i64,
    pub segment: SegmentOrdinal,
    pub doc: DocId,
    pub score: Score,
    /// The session the sort used, or the next upcoming one (seconds).
    pub session: Option<i64>,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    /// Greater is better.
    fn cmp(&self, other: &Self) -> Ordering {
        self.primary
            .total_cmp(&other.primary)
            .then(self.secondary.cmp(&other.secondary))
            .then((other.segment, other.doc).cmp(&(self.segment, self.doc)))
    }
}

/// Counts of one segment, by value.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub total: u64,
    pub hits: Vec<Candidate>,
    pub modality: BTreeMap<String, u64>,
    pub language: BTreeMap<String, u64>,
    pub provider: BTreeMap<String, u64>,
    pub internal: u64,
    pub competency: BTreeMap<String, u64>,
    pub duration: [u64; 6],
    pub sessions: [u64; 3],
}

impl Facts {
    fn absorb(&mut self, other: Facts) {
        self.total += other.total;
        self.hits.extend(other.hits);
        for (mine, theirs) in [
            (&mut self.modality, other.modality),
            (&mut self.language, other.language),
            (&mut self.provider, other.provider),
            (&mut self.competency, other.competency),
        ] {
            for (value, count) in theirs {
                *mine.entry(value).or_default() += count;
            }
        }
        self.internal += other.internal;
        for (mine, theirs) in self.duration.iter_mut().zip(other.duration) {
            *mine += theirs;
        }
        for (mine, theirs) in self.sessions.iter_mut().zip(other.sessions) {
            *mine += theirs;
        }
    }
}

/// The values of the string facets of each segment, in ordinal order, decoded once per segment
/// (segments never change). Facet counting then never touches the column dictionaries, whose
/// blocks would otherwise be decompressed on every search.
#[derive(Debug, Default)]
pub(crate) struct TermCache {
    segments: RwLock<HashMap<TermCacheKey, Arc<Vec<String>>>>,
}

/// A segment and a string facet's field name.
type TermCacheKey = (SegmentId, &'static str);

impl TermCache {
    fn terms(
        &self,
        reader: &SegmentReader,
        field: &'static str,
        column: &StrColumn,
    ) -> tantivy::Result<Arc<Vec<String>>> {
        let key = (reader.segment_id(), field);
        if let Some(terms) = self
            .segments
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(Arc::clone(terms));
        }
        let dictionary = column.dictionary();
        let mut terms = Vec::with_capacity(dictionary.num_terms());
        let mut stream = dictionary.stream()?;
        while stream.advance() {
            terms.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        if terms.len() != dictionary.num_terms() {
            return Err(TantivyError::InternalError(format!(
                "the dictionary of {field} in segment {} could not be read completely",
                reader.segment_id().short_uuid_string()
            )));
        }
        let terms = Arc::new(terms);
        self.segments
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, Arc::clone(&terms));
        Ok(terms)
    }

    /// Forgets segments that are no longer searched.
    pub fn retain(&self, live: &HashSet<SegmentId>) {
        self.segments
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(segment, _), _| live.contains(segment));
    }
}

#[derive(Debug)]
pub(crate) struct CatalogueCollector {
    pub plan: Arc<Plan>,
    pub cache: Arc<TermCache>,
}

impl Collector for CatalogueCollector {
    type Fruit = Facts;
    type Child = SegmentCatalogue;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCatalogue> {
        let plan = Arc::clone(&self.plan);
        let fast = reader.fast_fields();
        let duration_filter = plan.durations;
        let (internal_allowed, provider_names) = match &plan.providers {
            Some((internal, names)) => (*internal, Some(names.as_slice())),
            None => (true, None),
        };
        let dim = |field: &'static str, filter: Option<&[String]>, missing_passes: bool| {
            let column = fast.str(field)?;
            let terms = match &column {
                Some(column) => self.cache.terms(reader, field, column)?,
                None => Arc::new(Vec::new()),
            };
            StrDim::new(column, terms, filter, missing_passes)
        };
        Ok(SegmentCatalogue {
            segment,
            modality: dim(F_MODALITY, nonempty(&plan.modalities), true)?,
            language: dim(F_LANGUAGE, nonempty(&plan.languages), true)?,
            provider: dim(F_PROVIDER, provider_names, internal_allowed)?,
            competency: dim(F_COMPETENCIES, nonempty(&plan.competencies), false)?,
            duration: fast.column_opt::<u64>(F_DURATION)?,
            duration_filter,
            sessions: fast.column_opt::<DateTime>(F_SESSIONS)?,
            updated_at: fast.column_opt::<DateTime>(F_UPDATED_AT)?,
            facts: Facts::default(),
            duration_counts: [0; 6],
            session_counts: [0; 3],
            heap: BinaryHeap::new(),
            plan,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.plan.has_text && self.plan.sort == SortOrder::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<tantivy::Result<Facts>>) -> tantivy::Result<Facts> {
        let mut all = Facts::default();
        for fruit in fruits {
            all.absorb(fruit?);
        }
        all.hits.sort_by(|a, b| b.cmp(a));
        Ok(all)
    }
}

fn nonempty(values: &[String]) -> Option<&[String]> {
    if values.is_empty() {
        None
    } else {
        Some(values)
    }
}

/// A string facet of one segment: its column, the filter as term ordinals, counts per ordinal.
struct StrDim {
    column: Option<StrColumn>,
    /// The column's values by ordinal.
    terms: Arc<Vec<String>>,
    /// Sorted ordinals the filter allows; `None` = no filter.
    allowed: Option<Vec<u64>>,
    /// Does a document without a value pass the filter?
    missing_passes: bool,
    counts: Vec<u64>,
    missing: u64,
    ords: Vec<u64>,
}

impl StrDim {
    fn new(
        column: Option<StrColumn>,
        terms: Arc<Vec<String>>,
        filter: Option<&[String]>,
        missing_passes: bool,
    ) -> tantivy::Result<StrDim> {
        let allowed = filter.map(|values| {
            let mut ords: Vec<u64> = values
                .iter()
                .filter_map(|value| terms.binary_search(value).ok())
                .map(|ord| ord as u64)
                .collect();
            ords.sort_unstable();
            ords
        });
        Ok(StrDim {
            column,
            missing_passes: filter.is_none() || missing_passes,
            allowed,
            counts: vec![0; terms.len()],
            terms,
            missing: 0,
            ords: Vec::new(),
        })
    }

    fn load(&mut self, doc: DocId) {
        self.ords.clear();
        if let Some(column) = &self.column {
            self.ords.extend(column.term_ords(doc));
        }
    }

    fn passes(&self) -> bool {
        match &self.allowed {
            None => true,
            Some(allowed) => {
                if self.ords.is_empty() {
                    self.missing_passes
                } else {
                    self.ords
                        .iter()
                        .any(|ord| allowed.binary_search(ord).is_ok())
                }
            }
        }
    }

    fn count(&mut self) {
        if self.ords.is_empty() {
            self.missing += 1;
        }
        for ord in &self.ords {
            if let Some(count) = usize::try_from(*ord)
                .ok()
                .and_then(|i| self.counts.get_mut(i))
            {
                *count += 1;
            }
        }
    }

    fn harvest(&self) -> BTreeMap<String, u64> {
        self.counts
            .iter()
            .zip(self.terms.iter())
            .filter(|(count, _)| **count > 0)
            .map(|(count, value)| (value.clone(), *count))
            .collect()
    }
}

pub(crate) struct SegmentCatalogue {
    plan: Arc<Plan>,
    segment: SegmentOrdinal,
    modality: StrDim,
    language: StrDim,
    provider: StrDim,
    competency: StrDim,
    duration: Option<Column<u64>>,
    duration_filter: Option<[bool; 6]>,
    sessions: Option<Column<DateTime>>,
    updated_at: Option<Column<DateTime>>,
    facts: Facts,
    duration_counts: [u64; 6],
    session_counts: [u64; 3],
    heap: BinaryHeap<Reverse<Candidate>>,
}

/// What a document's sessions say for this query.
struct Sessions {
    /// The next session from `now` on.
    next: Option<i64>,
    /// The first session within the filter's range.
    first_in_range: Option<i64>,
}

impl SegmentCatalogue {
    fn sessions_of(&self, doc: DocId) -> Sessions {
        let mut next: Option<i64> = None;
        let mut first_in_range: Option<i64> = None;
        if let Some(column) = &self.sessions {
            for value in column.values_for_doc(doc) {
                let secs = value.into_timestamp_secs();
                if secs >= self.plan.now && next.is_none_or(|n| secs < n) {
                    next = Some(secs);
                }
                if let Some((from, to)) = self.plan.sessions {
                    if secs >= from && secs <= to && first_in_range.is_none_or(|f| secs < f) {
                        first_in_range = Some(secs);
                    }
                }
            }
        }
        Sessions {
            next,
            first_in_range,
        }
    }

    fn count_sessions(&mut self, next: Option<i64>) {
        if let Some(next) = next {
            for (count, window) in self.session_counts.iter_mut().zip(SessionWindow::ALL) {
                if next <= self.plan.now + window.days() * DAY_SECONDS {
                    *count += 1;
                }
            }
        }
    }

    fn push(&mut self, doc: DocId, score: Score, sessions: &Sessions) {
        let plan = &self.plan;
        if plan.keep == 0 {
            return;
        }
        let updated = self
            .updated_at
            .as_ref()
            .and_then(|c| c.first(doc))
            .map_or(i64::MIN, |d| d.into_timestamp_secs());
        let session = if plan.sessions.is_some() {
            sessions.first_in_range
        } else {
            sessions.next
        };
        let (primary, secondary) = match plan.sort {
            SortOrder::Relevance if plan.has_text => (f64::from(score), updated),
            SortOrder::Relevance | SortOrder::Newest => (updated as f64, 0),
            SortOrder::SoonestSession => {
                (session.map_or(f64::NEG_INFINITY, |s| -(s as f64)), updated)
            }
        };
        let candidate = Candidate {
            primary,
            secondary,
            segment: self.segment,
            doc,
            score,
            session: session.or(sessions.next),
        };
        if self.heap.len() < plan.keep {
            self.heap.push(Reverse(candidate));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if candidate > worst.0 {
                *worst = Reverse(candidate);
            }
        }
    }
}

impl SegmentCollector for SegmentCatalogue {
    type Fruit = tantivy::Result<Facts>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut failed = 0u8;
        self.modality.load(doc);
        if !self.modality.passes() {
            failed |= DIM_MODALITY;
        }
        self.language.load(doc);
        if !self.language.passes() {
            failed |= DIM_LANGUAGE;
        }
        self.provider.load(doc);
        if !self.provider.passes() {
            failed |= DIM_PROVIDER;
        }
        self.competency.load(doc);
        if !self.competency.passes() {
            failed |= DIM_COMPETENCY;
        }
        let bucket = DurationBucket::of(self.duration.as_ref().and_then(|c| c.first(doc))).index();
        if self.duration_filter.is_some_and(|allowed| !allowed[bucket]) {
            failed |= DIM_DURATION;
        }
        let sessions = self.sessions_of(doc);
        if self.plan.sessions.is_some() && sessions.first_in_range.is_none() {
            failed |= DIM_SESSIONS;
        }
        if failed.count_ones() > 1 {
            return;
        }
        // A document failing one filter counts only in that filter's facet (what choosing
        // another value there would add); one passing all counts everywhere and is a hit.
        let everywhere = failed == 0;
        if everywhere || failed == DIM_MODALITY {
            self.modality.count();
        }
        if everywhere || failed == DIM_LANGUAGE {
            self.language.count();
        }
        if everywhere || failed == DIM_PROVIDER {
            self.provider.count();
        }
        if everywhere || failed == DIM_COMPETENCY {
            self.competency.count();
        }
        if everywhere || failed == DIM_DURATION {
            self.duration_counts[bucket] += 1;
        }
        if everywhere || failed == DIM_SESSIONS {
            self.count_sessions(sessions.next);
        }
        if everywhere {
            self.facts.total += 1;
            self.push(doc, score, &sessions);
        }
    }

    fn harvest(mut self) -> tantivy::Result<Facts> {
        let mut facts = std::mem::take(&mut self.facts);
        facts.modality = self.modality.harvest();
        facts.language = self.language.harvest();
        facts.provider = self.provider.harvest();
        facts.internal = self.provider.missing;
        facts.competency = self.competency.harvest();
        facts.duration = self.duration_counts;
        facts.sessions = self.session_counts;
        facts.hits = self.heap.into_iter().map(|Reverse(c)| c).collect();
        Ok(facts)
    }
}
