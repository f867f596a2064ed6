//! Full-text search of the learning catalogue (Lernangebote), on tantivy.
//!
//! The crate knows nothing about the database: the application hands it
//! [`OpportunityDocument`]s and [`SearchQuery`]s. See the crate's README.md for ranking,
//! typo tolerance, German compounds, facets and the benchmark.

mod analysis;
mod bench;
mod collector;
mod document;
mod error;
mod highlight;
mod index;
mod query;
mod results;
mod schema;

pub use analysis::{
    MAX_QUERY_WORDS, MAX_WORD_BYTES, MIN_COMPOUND_HEAD_CHARS, MIN_COMPOUND_TAIL_CHARS,
    MIN_PREFIX_CHARS,
};
pub use bench::{benchmark, BenchConfig, BenchReport, LatencySummary};
pub use document::{DurationBucket, Lang, OpportunityDocument, Provider, SessionWindow};
pub use error::SearchError;
pub use index::{Change, OpenStatus, SearchIndex, DATA_DIR, VERSION_FILE};
pub use query::{SearchFilters, SearchQuery, SessionRange, SortOrder, MAX_LIMIT, MAX_OFFSET};
pub use results::{FacetCount, FacetCounts, SearchHit, SearchResults};
pub use schema::SCHEMA_VERSION;

#[cfg(test)]
mod thread_safety {
    #[test]
    fn index_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<crate::SearchIndex>();
    }
}
