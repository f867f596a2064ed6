//! "For you" recommendations as stored: a person's feedback on recommended opportunities, the
//! ratings people gave opportunities (read from rated statements), and the bounded candidate
//! queries recommendations start from (what role peers completed, what is new). The application
//! scores them (`mycel_app::recommendations`).

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mycel_organisation::{OpportunityId, PersonId, RoleId};

/// What a person said about a recommended opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedbackKind {
    /// Hide it; opportunities of the same modality count a little less.
    NotInterested,
    /// Hide it; the competencies it teaches count less for recommendations (not evidence).
    AlreadyKnown,
}

impl FeedbackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotInterested => "not_interested",
            Self::AlreadyKnown => "already_known",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "not_interested" => Some(Self::NotInterested),
            "already_known" => Some(Self::AlreadyKnown),
            _ => None,
        }
    }
}

/// A person's feedback on one opportunity (at most one per person and opportunity).
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationFeedback {
    pub person_id: PersonId,
    pub opportunity_id: OpportunityId,
    pub kind: FeedbackKind,
    pub given_at: DateTime<Utc>,
}

/// A person's rating of one of the company's opportunities, from a rated statement.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingRecord {
    pub person_id: PersonId,
    pub opportunity_id: OpportunityId,
    /// 1 to 5.
    pub stars: u8,
    pub rated_at: DateTime<Utc>,
    pub statement_id: String,
}

/// How many people rated an opportunity, and the sum of their stars (the newest rating of each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatingSummary {
    pub count: u32,
    pub stars_sum: u64,
}

impl RatingSummary {
    /// The average, if anyone rated.
    pub fn average(&self) -> Option<f64> {
        (self.count > 0).then(|| self.stars_sum as f64 / f64::from(self.count))
    }
}

/// What the holders of some roles did with one opportunity.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerActivity {
    pub opportunity_id: OpportunityId,
    /// How many of them completed it (each person once).
    pub completed_by: u32,
    /// Their ratings of it.
    pub ratings: RatingSummary,
}

/// Which opportunities [`RecommendationStore::peer_activity`] reports.
#[derive(Debug, Clone, Copy)]
pub enum PeerQuery<'a> {
    /// The `n` completed by the most peers, most first.
    Top(u32),
    /// These opportunities (those no peer completed are left out).
    Of(&'a [OpportunityId]),
}

#[async_trait]
pub trait RecommendationStore: Send + Sync {
    /// Sets (or changes) a person's feedback on an opportunity.
    async fn set_recommendation_feedback(
        &self,
        scope: TenantScope,
        feedback: &RecommendationFeedback,
    ) -> StoreResult<()>;
    /// Removes a person's feedback on an opportunity; `false` if there was none.
    async fn remove_recommendation_feedback(
        &self,
        scope: TenantScope,
        person: PersonId,
        opportunity: OpportunityId,
    ) -> StoreResult<bool>;
    /// A person's feedback, newest first, at most `limit`.
    async fn recommendation_feedback(
        &self,
        scope: TenantScope,
        person: PersonId,
        limit: u32,
    ) -> StoreResult<Vec<RecommendationFeedback>>;

    /// Records ratings of the company's opportunities: per person and opportunity the one rated
    /// last is kept (an older one arriving later changes nothing). Returns how many rows changed.
    async fn record_ratings(
        &self,
        scope: TenantScope,
        ratings: &[RatingRecord],
    ) -> StoreResult<u64>;
    /// A person's rating of an opportunity.
    async fn rating_of(
        &self,
        scope: TenantScope,
        person: PersonId,
        opportunity: OpportunityId,
    ) -> StoreResult<Option<RatingRecord>>;
    /// How many people rated an opportunity, and their stars in sum.
    async fn rating_summary(
        &self,
        scope: TenantScope,
        opportunity: OpportunityId,
    ) -> StoreResult<RatingSummary>;

    /// What the current holders of these roles (not `except`) completed, and how they rated it.
    async fn peer_activity(
        &self,
        scope: TenantScope,
        roles: &[RoleId],
        except: PersonId,
        query: PeerQuery<'_>,
    ) -> StoreResult<Vec<PeerActivity>>;
    /// Published opportunities created since `since` that the company may see as a whole (its
    /// own, and offers to the network or to it), newest first, at most `limit`, with when they
    /// were created. Offers to org units or roles are the caller's to check.
    async fn newest_opportunities(
        &self,
        scope: TenantScope,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<(OpportunityId, DateTime<Utc>)>>;
}
