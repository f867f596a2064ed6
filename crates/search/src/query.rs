//! What the application asks, and how it becomes a tantivy query.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery,
    FuzzyTermQuery, Occur, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;
use uuid::Uuid;

use crate::analysis::QueryWord;
use crate::document::{DurationBucket, Lang, Provider};
use crate::schema::Fields;

/// Most hits one page may ask for.
pub const MAX_LIMIT: usize = 200;
/// Deepest offset served; deeper pages are empty (refine the search instead).
pub const MAX_OFFSET: usize = 10_000;

/// A search of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// What the user typed; empty browses everything visible. Read as plain words, never as
    /// query syntax.
    pub text: String,
    /// The viewer's language: its titles and descriptions rank higher.
    pub viewer_language: Lang,
    /// The viewer's audience keys; a document is visible if it shares one of them.
    pub viewer_audience: Vec<String>,
    /// An editor's tenant: it also sees its own unpublished documents (and all its published
    /// ones, whatever their audience).
    pub include_unpublished_of: Option<Uuid>,
    /// Facet filters.
    pub filters: SearchFilters,
    /// Order of the hits.
    pub sort: SortOrder,
    /// Hits per page (at most [`MAX_LIMIT`]).
    pub limit: usize,
    /// Hits to skip (at most [`MAX_OFFSET`]).
    pub offset: usize,
    /// The present, for the session windows and for ignoring past sessions.
    pub now: DateTime<Utc>,
}

impl SearchQuery {
    /// A query for the first 20 hits by relevance, no filters, `now` the current time.
    pub fn new(
        text: impl Into<String>,
        viewer_language: Lang,
        viewer_audience: Vec<String>,
    ) -> Self {
        SearchQuery {
            text: text.into(),
            viewer_language,
            viewer_audience,
            include_unpublished_of: None,
            filters: SearchFilters::default(),
            sort: SortOrder::Relevance,
            limit: 20,
            offset: 0,
            now: Utc::now(),
        }
    }
}

/// Facet filters. An empty set does not filter; a non-empty set keeps documents with any of its
/// values (OR within a facet, AND between facets).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilters {
    /// Modalities.
    pub modalities: BTreeSet<String>,
    /// Content languages.
    pub languages: BTreeSet<String>,
    /// Duration buckets.
    pub durations: BTreeSet<DurationBucket>,
    /// Providers.
    pub providers: BTreeSet<Provider>,
    /// Aligned competencies (any of them).
    pub competencies: BTreeSet<Uuid>,
    /// Has a session starting in this range.
    pub sessions: Option<SessionRange>,
}

/// A range of session start times, both ends inclusive. `from: None` means the query's `now`
/// (sessions in the past never count), `to: None` means no end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRange {
    /// Earliest start.
    pub from: Option<DateTime<Utc>>,
    /// Latest start.
    pub to: Option<DateTime<Utc>>,
}

/// Order of the hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Best match first (for an empty text: most recently updated first).
    #[default]
    Relevance,
    /// Most recently updated first.
    Newest,
    /// Earliest upcoming session first (within the session filter's range, if any); documents
    /// without one last, most recently updated first among them.
    SoonestSession,
}

/// Weights of the text match classes (see the crate documentation on ranking).
mod weight {
    pub const TITLE: f32 = 3.0;
    pub const KEYWORDS: f32 = 2.0;
    pub const DESCRIPTION: f32 = 1.0;
    /// Multiplies the viewer language's fields.
    pub const VIEWER_LANGUAGE: f32 = 1.5;
    /// Constant scores of typo and prefix matches (exact matches score by BM25 above these).
    pub const FUZZY_TITLE: f32 = 1.5;
    pub const FUZZY_BODY: f32 = 0.5;
    pub const COMPOUND_TITLE: f32 = 1.2;
    pub const COMPOUND_BODY: f32 = 0.4;
    /// A word's score is its best field plus this share of the others.
    pub const TIE_BREAKER: f32 = 0.2;
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let query = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(query), boost))
}

fn fuzzy(field: Field, text: &str, distance: u8, prefix: bool, score: f32) -> Box<dyn Query> {
    let term = Term::from_field_text(field, text);
    let query = if prefix {
        FuzzyTermQuery::new_prefix(term, distance, true)
    } else {
        FuzzyTermQuery::new(term, distance, true)
    };
    Box::new(BoostQuery::new(Box::new(query), score))
}

/// The scoring part: every word must match (in any field, exactly, stemmed, with a typo or as a
/// part of a compound), except an optional one.
pub(crate) fn text_query(fields: &Fields, words: &[QueryWord], viewer: Lang) -> Box<dyn Query> {
    if words.is_empty() {
        return Box::new(AllQuery);
    }
    let clauses = words
        .iter()
        .map(|word| {
            let occur = if word.optional {
                Occur::Should
            } else {
                Occur::Must
            };
            (occur, word_query(fields, word, viewer))
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn word_query(fields: &Fields, word: &QueryWord, viewer: Lang) -> Box<dyn Query> {
    let language_weight = |lang: Lang| {
        if lang == viewer {
            weight::VIEWER_LANGUAGE
        } else {
            1.0
        }
    };
    let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
    for (lang, stem) in [(Lang::De, &word.de), (Lang::En, &word.en)] {
        let Some(stem) = stem else { continue };
        let lw = language_weight(lang);
        disjuncts.push(term_query(fields.title(lang), stem, weight::TITLE * lw));
        disjuncts.push(term_query(
            fields.description(lang),
            stem,
            weight::DESCRIPTION * lw,
        ));
        let keywords = match lang {
            Lang::De => fields.keywords_de,
            Lang::En => fields.keywords_en,
        };
        disjuncts.push(term_query(keywords, stem, weight::KEYWORDS));
    }
    if word.prefix {
        for (field, score) in [
            (fields.title_plain, weight::FUZZY_TITLE),
            (fields.body_plain, weight::FUZZY_BODY),
        ] {
            disjuncts.push(fuzzy(field, &word.plain, word.distance, true, score));
        }
    } else if word.distance > 0 {
        for (field, score) in [
            (fields.title_plain, weight::FUZZY_TITLE),
            (fields.body_plain, weight::FUZZY_BODY),
        ] {
            disjuncts.push(fuzzy(field, &word.plain, word.distance, false, score));
        }
    }
    if word.compound_head() {
        for (field, score) in [
            (fields.title_plain, weight::COMPOUND_TITLE),
            (fields.body_plain, weight::COMPOUND_BODY),
        ] {
            disjuncts.push(fuzzy(field, &word.plain, 0, true, score));
        }
    }
    if word.compound_tail() {
        for (field, score) in [
            (fields.title_reversed, weight::COMPOUND_TITLE),
            (fields.body_reversed, weight::COMPOUND_BODY),
        ] {
            disjuncts.push(fuzzy(field, &word.reversed, 0, true, score));
        }
    }
    if disjuncts.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(
        disjuncts,
        weight::TIE_BREAKER,
    ))
}

/// Which documents the viewer may see; scores nothing. `None` when the viewer sees nothing.
pub(crate) fn visibility_query(fields: &Fields, query: &SearchQuery) -> Option<Box<dyn Query>> {
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !query.viewer_audience.is_empty() {
        let published = TermQuery::new(
            Term::from_field_bool(fields.published, true),
            IndexRecordOption::Basic,
        );
        let audience = TermSetQuery::new(
            query
                .viewer_audience
                .iter()
                .map(|key| Term::from_field_text(fields.audience, key)),
        );
        alternatives.push((
            Occur::Should,
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(published)),
                (Occur::Must, Box::new(audience)),
            ])),
        ));
    }
    if let Some(tenant) = query.include_unpublished_of {
        alternatives.push((
            Occur::Should,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.owner_tenant, &tenant.to_string()),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if alternatives.is_empty() {
        return None;
    }
    Some(Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(alternatives)),
        0.0,
    )))
}
