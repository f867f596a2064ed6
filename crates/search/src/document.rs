//! The plain data the application hands to the index.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The languages the index analyses (stemming, stop words). Texts in any other language are
/// indexed as English (see [`Lang::from_code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// German.
    De,
    /// English, and every language without its own analysis.
    En,
}

impl Lang {
    /// `de`, `de-DE`, `de_AT`, `DE` … are German; everything else is English.
    pub fn from_code(code: &str) -> Lang {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("de") {
            Lang::De
        } else {
            Lang::En
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        }
    }
}

/// A learning opportunity (Lernangebot) as the search index sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpportunityDocument {
    /// The opportunity's id: upserting the same id replaces the document.
    pub id: Uuid,
    /// The tenant (member company) that owns it.
    pub owner_tenant: Uuid,
    /// Titles per language.
    pub titles: Vec<(Lang, String)>,
    /// Descriptions per language.
    pub descriptions: Vec<(Lang, String)>,
    /// Labels of aligned competencies, tags; searched in both languages, ranked between titles
    /// and descriptions.
    pub keywords: Vec<String>,
    /// `cmi5`, `scorm`, `video`, `classroom`, … (facet; exact values).
    pub modality: String,
    /// `de`, `en`, … (facet; exact values).
    pub content_language: String,
    /// Duration (facet by [`DurationBucket`]).
    pub duration_minutes: Option<u32>,
    /// Provider name or id (facet); `None` is internal.
    pub provider: Option<String>,
    /// Aligned competencies (facet and filter).
    pub competencies: Vec<Uuid>,
    /// Start times of future sessions. Times before a query's `now` are ignored by that query.
    pub upcoming_sessions: Vec<DateTime<Utc>>,
    /// Opaque audience keys (`network`, `tenant:<uuid>`, `unit:<uuid>`, `role:<uuid>`, …): the
    /// document is visible to a viewer holding any of them.
    pub audience: Vec<String>,
    /// Drafts and retired opportunities (`false`) are found only by the owner's editors.
    pub published: bool,
    /// Last change (sort order "newest").
    pub updated_at: DateTime<Utc>,
}

/// The duration facet's buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationBucket {
    /// Up to 15 minutes.
    UpTo15Minutes,
    /// 16 to 60 minutes.
    From15To60Minutes,
    /// 61 minutes to 4 hours.
    From1To4Hours,
    /// More than 4 and up to 8 hours.
    From4To8Hours,
    /// More than 8 hours (more than a training day).
    MoreThanADay,
    /// No duration given.
    Unknown,
}

impl DurationBucket {
    /// Every bucket, in display order.
    pub const ALL: [DurationBucket; 6] = [
        DurationBucket::UpTo15Minutes,
        DurationBucket::From15To60Minutes,
        DurationBucket::From1To4Hours,
        DurationBucket::From4To8Hours,
        DurationBucket::MoreThanADay,
        DurationBucket::Unknown,
    ];

    /// The bucket of a duration.
    pub fn of(minutes: Option<u64>) -> DurationBucket {
        match minutes {
            None => DurationBucket::Unknown,
            Some(0..=15) => DurationBucket::UpTo15Minutes,
            Some(16..=60) => DurationBucket::From15To60Minutes,
            Some(61..=240) => DurationBucket::From1To4Hours,
            Some(241..=480) => DurationBucket::From4To8Hours,
            Some(_) => DurationBucket::MoreThanADay,
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            DurationBucket::UpTo15Minutes => 0,
            DurationBucket::From15To60Minutes => 1,
            DurationBucket::From1To4Hours => 2,
            DurationBucket::From4To8Hours => 3,
            DurationBucket::MoreThanADay => 4,
            DurationBucket::Unknown => 5,
        }
    }
}

/// Who provides an opportunity (facet value and filter).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// The organisation's own (document `provider: None`).
    Internal,
    /// An external provider, by the name or id the document gives.
    External(String),
}

/// The session facet's windows, counted from the query's `now`. They nest: an opportunity with a
/// session in 5 days counts in all three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionWindow {
    /// A session starts within 7 days.
    Within7Days,
    /// Within 30 days.
    Within30Days,
    /// Within 90 days.
    Within90Days,
}

impl SessionWindow {
    /// Every window, in display order.
    pub const ALL: [SessionWindow; 3] = [
        SessionWindow::Within7Days,
        SessionWindow::Within30Days,
        SessionWindow::Within90Days,
    ];

    /// Length of the window.
    pub fn days(self) -> i64 {
        match self {
            SessionWindow::Within7Days => 7,
            SessionWindow::Within30Days => 30,
            SessionWindow::Within90Days => 90,
        }
    }
}
