//! What a search returns.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::document::{DurationBucket, Lang, Provider, SessionWindow};

/// The answer to a [`crate::SearchQuery`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Number of visible documents matching the text and every filter.
    pub total: u64,
    /// The requested page.
    pub hits: Vec<SearchHit>,
    /// Counts per facet value: each facet counted over the documents matching the text and every
    /// *other* facet's filter (so choosing a second value of a facet shows what it would add).
    pub facets: FacetCounts,
}

/// One hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The opportunity.
    pub id: Uuid,
    /// Relevance score (0 when sorted by something else or browsing without text).
    pub score: f32,
    /// Language of the title shown (the one with most matches; the viewer's on a tie).
    pub title_language: Lang,
    /// The title, HTML-escaped, matched words in `<b>…</b>`.
    pub title_html: String,
    /// A passage of the description (the best-matching one, up to about 200 characters),
    /// HTML-escaped, matched words in `<b>…</b>`, `…` where it was cut. Empty without description.
    pub snippet_html: String,
    /// The session the sort used, otherwise the next upcoming session.
    pub next_session: Option<DateTime<Utc>>,
}

/// Counts of one facet value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount<T> {
    /// The value.
    pub value: T,
    /// Number of documents.
    pub count: u64,
}

/// Counts of every facet. String facets list the values that occur, most frequent first, plus
/// every value the query filters by (with 0 if it no longer occurs); duration buckets and
/// session windows are always all listed, in their order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// By modality.
    pub modality: Vec<FacetCount<String>>,
    /// By content language.
    pub content_language: Vec<FacetCount<String>>,
    /// By duration bucket.
    pub duration: Vec<FacetCount<DurationBucket>>,
    /// By provider.
    pub provider: Vec<FacetCount<Provider>>,
    /// By aligned competency (a document counts once for each of its competencies).
    pub competency: Vec<FacetCount<Uuid>>,
    /// Documents with a session within each window.
    pub sessions: Vec<FacetCount<SessionWindow>>,
}

impl<T: PartialEq> FacetCount<T> {
    /// The count of `value` in a facet list (0 when absent).
    pub fn of(list: &[FacetCount<T>], value: &T) -> u64 {
        list.iter()
            .find(|entry| entry.value == *value)
            .map_or(0, |entry| entry.count)
    }
}
