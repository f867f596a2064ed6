//! "For you" recommendations' JSON shapes: recommended opportunities with their reasons, a
//! person's feedback on them, and ratings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A person's recommendations, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Recommendations {
    pub recommendations: Vec<Recommendation>,
}

/// One recommended opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Recommendation {
    pub opportunity_id: Uuid,
    pub title: crate::LocalizedText,
    pub modality: String,
    pub duration_minutes: Option<u32>,
    /// The score it was ranked by (before the diversity re-ranking).
    pub score: f64,
    /// Its main reasons, strongest first.
    pub reasons: Vec<RecommendationReason>,
}

/// Why an opportunity is recommended. `kind` says which fields are there: `gap` (it teaches
/// `competency_id`, where the person is at `current` of `target`, because of `source`: `role`,
/// `aspired_role`, `goal` or `strategic`, with `role_id` for roles), `peers` (`completed_by`
/// colleagues in the person's roles completed it, `average_rating` once three rated it), `new`
/// (`days` in the catalogue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecommendationReason {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competency_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_by: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_rating: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
}

/// How many recommendations to give.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecommendationParams {
    /// 1 to 20; 6 when absent.
    pub count: Option<u32>,
}

/// Feedback on a recommendation: `not_interested` or `already_known`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationFeedbackBody {
    pub kind: String,
}

/// A person's feedback on one opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecommendationFeedback {
    pub opportunity_id: Uuid,
    pub kind: String,
    pub given_at: DateTime<Utc>,
    /// The opportunity's title, if the person may still see it.
    pub title: Option<crate::LocalizedText>,
}

/// A person's feedback, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecommendationFeedbackList {
    pub feedback: Vec<RecommendationFeedback>,
}

/// A rating: 1 to 5 stars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    pub stars: i64,
}

/// The caller's rating of an opportunity, and everyone's (only once three people rated it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Ratings {
    pub opportunity_id: Uuid,
    /// The caller's own stars.
    pub mine: Option<u8>,
    /// How many rated it; absent below three.
    pub count: Option<u32>,
    /// Their average; absent below three.
    pub average: Option<f64>,
}
