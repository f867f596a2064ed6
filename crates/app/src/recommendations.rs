//! "For you" ("Für Sie"): recommendations beyond the learning path. For a person, a few published
//! opportunities they may see that are not steps of their path, not completed, not assigned and
//! without their feedback, scored by
//! - **gap relevance**: it teaches a competency with an open gap of theirs — more for a bigger part
//!   of the gap it closes and for a weightier reason (a current role's required competency, a
//!   goal of their own, before an aspired role or a desired competency);
//! - **peers**: how many current holders of one of their roles completed it, and how those rated
//!   it (counted, and shown, only from [`MIN_PEOPLE`] people on: nobody's single completion or
//!   rating shows);
//! - **freshness**: how recently it came into the catalogue;
//!
//! then re-ranked greedily for **diversity**, so that one modality does not fill the list. Each
//! recommendation carries its main reasons. The candidates are bounded: what teaches the person's
//! gap competencies, the opportunities completed by most role peers, and the newest ones — never
//! the whole catalogue.
//!
//! Feedback ("not interested", "already know this") hides an opportunity; "not interested" lowers
//! opportunities of the same modality a little, "already know this" lowers the gap relevance of
//! the competencies it teaches (it is not evidence). Ratings (1–5 stars) are xAPI statements
//! (verb `rated`); the completions reader of the change feed records them from any source.
//! The weights are the constants below; docs/recommendations.md explains them.

use crate::statement_evidence::{person_of, ActorKey};
use crate::statement_feed::StatementSignal;
use crate::{Acting, AppError, AppResult};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use mycel_catalogue::{Lifecycle, Modality};
use mycel_competency::framework::{Labels, RequirementKind};
use mycel_competency::gap::TargetSource;
use mycel_organisation::{
    Action, CompetencyId, OpportunityId, PersonId, Principal, RoleAssignmentKind, RoleId,
    ValidationError,
};
use mycel_store::catalogue::OpportunityRecord;
use mycel_store::lrs::StoredStatement;
use mycel_store::recommendations::{
    FeedbackKind, PeerActivity, PeerQuery, RatingRecord, RatingSummary, RecommendationFeedback,
};
use mycel_store::{Store, TenantScope};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap, HashSet};

// ---- the weights, in one place (docs/recommendations.md) ----

/// Per level of an open gap an opportunity closes, times the gap's priority.
pub const GAP_WEIGHT: f64 = 1.0;
/// Priority of a gap by its weightiest reason: a current role's required competency, or a goal.
pub const PRIORITY_REQUIRED: f64 = 1.0;
/// … a strategic goal of the person's org unit.
pub const PRIORITY_STRATEGIC: f64 = 0.9;
/// … a required competency of a role the person aspires to.
pub const PRIORITY_ASPIRED: f64 = 0.8;
/// … a desired (nice-to-have) competency of a role.
pub const PRIORITY_DESIRED: f64 = 0.5;
/// Times ln(1 + peers who completed it).
pub const PEER_WEIGHT: f64 = 0.6;
/// Times (the peers' average rating − 3): a well-rated one rises, a poorly rated one sinks.
pub const RATING_WEIGHT: f64 = 0.3;
/// For an opportunity created today, falling linearly to 0 at [`FRESH_DAYS`].
pub const FRESH_WEIGHT: f64 = 0.5;
/// How long an opportunity counts as new.
pub const FRESH_DAYS: i64 = 60;
/// Subtracted per "not interested" the person gave an opportunity of the same modality …
pub const NOT_INTERESTED_PENALTY: f64 = 0.2;
/// … up to this much.
pub const NOT_INTERESTED_PENALTY_MAX: f64 = 0.6;
/// The gap relevance of a competency taught by something the person said they already know is
/// multiplied by this.
pub const ALREADY_KNOWN_FACTOR: f64 = 0.5;
/// Subtracted per recommendation of the same modality already above it in the list.
pub const DIVERSITY_PENALTY: f64 = 0.5;
/// Peers' completions and ratings count (and are shown) only from this many people on.
pub const MIN_PEOPLE: u32 = 3;

/// Recommendations shown unless asked for another number.
pub const DEFAULT_COUNT: usize = 6;
/// At most this many at once.
pub const MAX_COUNT: usize = 20;
/// Candidates from each bounded source.
const PEER_CANDIDATES: u32 = 50;
const NEW_CANDIDATES: u32 = 50;
const TEACHING_CANDIDATES: usize = 1000;
/// Feedback entries read (and listed) per person.
pub const MAX_FEEDBACK: u32 = 1000;

/// xAPI's "rated" (the Tin Can registry's), with `result.score` 1–5.
pub const RATED: &str = "http://id.tincanapi.com/verb/rated";

// ---- scoring: plain functions over plain data ----

/// An open gap of the person in a competency an opportunity teaches.
#[derive(Debug, Clone, PartialEq)]
pub struct GapMatch {
    pub competency_id: CompetencyId,
    /// The person's estimated level (0 without evidence).
    pub current: f64,
    pub target: f64,
    /// The level the opportunity teaches.
    pub teaches: f64,
    /// The gap's priority (see the `PRIORITY_` constants).
    pub priority: f64,
    /// The weightiest reason the gap is there.
    pub source: Option<TargetSource>,
    /// The person said they already know something that teaches this competency.
    pub known: bool,
}

/// What speaks for one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Signals {
    pub opportunity_id: OpportunityId,
    pub modality: Modality,
    pub gaps: Vec<GapMatch>,
    /// What the person's role peers did with it.
    pub peers: Option<PeerActivity>,
    /// Days since it came into the catalogue.
    pub age_days: f64,
    /// How many "not interested" the person gave opportunities of its modality.
    pub not_interested_in_modality: u32,
}

/// Why something is recommended.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// It teaches a competency with an open gap.
    Gap {
        competency_id: CompetencyId,
        current: f64,
        target: f64,
        source: Option<TargetSource>,
    },
    /// Role peers completed it (at least [`MIN_PEOPLE`]); their average rating if at least as
    /// many rated it.
    Peers {
        completed_by: u32,
        average_rating: Option<f64>,
    },
    /// New in the catalogue.
    New { days: i64 },
}

/// A candidate with its score and its main reasons (the strongest first, at most two).
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub opportunity_id: OpportunityId,
    pub modality: Modality,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// The priority of a gap by one of its reasons.
pub fn priority_of(source: &TargetSource) -> f64 {
    match source {
        TargetSource::Role {
            kind: RequirementKind::Desired,
            ..
        } => PRIORITY_DESIRED,
        TargetSource::Role { aspired: true, .. } => PRIORITY_ASPIRED,
        TargetSource::Role { .. } | TargetSource::Goal { .. } => PRIORITY_REQUIRED,
        TargetSource::Strategic { .. } => PRIORITY_STRATEGIC,
    }
}

/// Scores one candidate: gap relevance, peers, freshness, minus the "not interested" penalty of
/// its modality. Reasons are those that add to the score, strongest first.
pub fn score(signals: &Signals) -> Scored {
    let mut parts: Vec<(f64, Reason)> = Vec::new();
    for gap in &signals.gaps {
        let closes = (gap.teaches.min(gap.target) - gap.current).max(0.0);
        let damping = if gap.known { ALREADY_KNOWN_FACTOR } else { 1.0 };
        let value = GAP_WEIGHT * gap.priority * closes * damping;
        parts.push((
            value,
            Reason::Gap {
                competency_id: gap.competency_id,
                current: gap.current,
                target: gap.target,
                source: gap.source,
            },
        ));
    }
    if let Some(peers) = signals
        .peers
        .as_ref()
        .filter(|p| p.completed_by >= MIN_PEOPLE)
    {
        let average = shown_average(&peers.ratings);
        let value = PEER_WEIGHT * f64::from(peers.completed_by).ln_1p()
            + average.map_or(0.0, |a| RATING_WEIGHT * (a - 3.0));
        parts.push((
            value,
            Reason::Peers {
                completed_by: peers.completed_by,
                average_rating: average,
            },
        ));
    }
    if signals.age_days < FRESH_DAYS as f64 {
        let value = FRESH_WEIGHT * (1.0 - signals.age_days.max(0.0) / FRESH_DAYS as f64);
        parts.push((
            value,
            Reason::New {
                days: signals.age_days.max(0.0).floor() as i64,
            },
        ));
    }
    let penalty = (NOT_INTERESTED_PENALTY * f64::from(signals.not_interested_in_modality))
        .min(NOT_INTERESTED_PENALTY_MAX);
    let score = parts.iter().map(|(v, _)| v).sum::<f64>() - penalty;
    parts.retain(|(v, _)| *v > 1e-9);
    parts.sort_by(|a, b| b.0.total_cmp(&a.0));
    Scored {
        opportunity_id: signals.opportunity_id,
        modality: signals.modality,
        score,
        reasons: parts.into_iter().take(2).map(|(_, r)| r).collect(),
    }
}

/// The average of ratings, if enough people rated to show it.
pub fn shown_average(ratings: &RatingSummary) -> Option<f64> {
    (ratings.count >= MIN_PEOPLE)
        .then(|| ratings.average())
        .flatten()
}

/// The best `count` of the scored candidates (those with a reason), picked greedily: each round
/// takes the highest score after [`DIVERSITY_PENALTY`] for every one of the same modality
/// already picked, so that the list mixes modalities when the scores are close.
pub fn rank(mut scored: Vec<Scored>, count: usize) -> Vec<Scored> {
    scored.retain(|s| !s.reasons.is_empty());
    let mut shown: HashMap<Modality, u32> = HashMap::new();
    let mut picked = Vec::with_capacity(count.min(scored.len()));
    while picked.len() < count && !scored.is_empty() {
        let adjusted = |s: &Scored| {
            s.score - DIVERSITY_PENALTY * f64::from(shown.get(&s.modality).copied().unwrap_or(0))
        };
        let mut best = 0;
        for (i, candidate) in scored.iter().enumerate().skip(1) {
            let (a, b) = (adjusted(candidate), adjusted(&scored[best]));
            if a > b || (a == b && candidate.opportunity_id < scored[best].opportunity_id) {
                best = i;
            }
        }
        let chosen = scored.swap_remove(best);
        *shown.entry(chosen.modality).or_insert(0) += 1;
        picked.push(chosen);
    }
    picked
}

// ---- a person's recommendations ----

/// A recommendation with what pages need to show it.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub opportunity: OpportunityRecord,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// A person's recommendations, with the names their reasons mention.
#[derive(Debug, Clone, Default)]
pub struct RecommendationsView {
    pub recommendations: Vec<Recommendation>,
    pub competency_names: HashMap<CompetencyId, Labels>,
    pub role_names: HashMap<RoleId, String>,
}

/// May the actor read this person's recommendations (the person; their manager and L&D, or a
/// client with organisation read access, if the person shares their competency profile — as for
/// the learning path)? Reading someone else's is audited.
async fn may_read(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    what: &'static str,
    action: &str,
) -> AppResult<()> {
    let subject = store.person(scope, person).await?;
    let facts = crate::organisation::person_facts(store, scope, &subject).await?;
    let shared = store.profile_shared(scope, person).await?;
    if !acting.permits(Action::ViewCompetencyProfile {
        person: &facts,
        shared,
    }) {
        return Err(AppError::NotFound(what));
    }
    crate::organisation::audit_read(
        store,
        acting,
        scope,
        Some(person),
        action,
        "recommendations",
    )
    .await
}

/// Only the person changes their own feedback and ratings (and the operator).
fn acting_person(acting: Acting<'_>, person: Option<PersonId>) -> AppResult<PersonId> {
    match (acting, person) {
        (Acting::Principal(Principal::Person { person_id, .. }), None) => Ok(*person_id),
        (Acting::Principal(Principal::Person { person_id, .. }), Some(p)) if *person_id == p => {
            Ok(p)
        }
        (Acting::Operator, Some(p)) => Ok(p),
        _ => Err(AppError::Forbidden),
    }
}

/// Up to `count` (at most [`MAX_COUNT`]) recommendations for a person, computed now.
pub async fn for_person(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    now: DateTime<Utc>,
    count: usize,
) -> AppResult<RecommendationsView> {
    may_read(
        store,
        acting,
        scope,
        person,
        "competency profile",
        "recommendations.read",
    )
    .await?;
    // The path as the person sees it (access is checked above; planning reads as the system).
    let path =
        crate::learning_paths::person_path(store, Acting::Operator, scope, person, now).await?;
    recommend(store, scope, person, now, count, &path).await
}

/// [`for_person`] for a person whose path the caller planned already (the home page shows the
/// path's next steps and the recommendations; planning twice would double its cost).
pub async fn for_person_on_path(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    now: DateTime<Utc>,
    count: usize,
    path: &crate::learning_paths::PathView,
) -> AppResult<RecommendationsView> {
    may_read(
        store,
        acting,
        scope,
        person,
        "competency profile",
        "recommendations.read",
    )
    .await?;
    recommend(store, scope, person, now, count, path).await
}

async fn recommend(
    store: &dyn Store,
    scope: TenantScope,
    person: PersonId,
    now: DateTime<Utc>,
    count: usize,
    path: &crate::learning_paths::PathView,
) -> AppResult<RecommendationsView> {
    let count = count.clamp(1, MAX_COUNT);
    let completed: HashSet<OpportunityId> = store
        .person_completions(scope, person)
        .await?
        .into_iter()
        .map(|c| c.opportunity_id)
        .collect();
    let assigned: HashSet<OpportunityId> = store
        .person_assignments(scope, person)
        .await?
        .into_iter()
        .map(|a| a.opportunity_id)
        .collect();
    let feedback = store
        .recommendation_feedback(scope, person, MAX_FEEDBACK)
        .await?;
    let excluded: HashSet<OpportunityId> = path
        .plan
        .steps
        .iter()
        .map(|s| s.opportunity_id)
        .chain(path.settings.skipped.iter().copied())
        .chain(completed.iter().copied())
        .chain(assigned.iter().copied())
        .chain(feedback.iter().map(|f| f.opportunity_id))
        .collect();

    // What the feedback says: modalities not wanted, competencies known.
    let mut not_interested: HashMap<Modality, u32> = HashMap::new();
    let mut known: HashSet<CompetencyId> = HashSet::new();
    let rated: Vec<OpportunityId> = feedback.iter().map(|f| f.opportunity_id).collect();
    let kinds: HashMap<OpportunityId, FeedbackKind> = feedback
        .iter()
        .map(|f| (f.opportunity_id, f.kind))
        .collect();
    for record in store.opportunities_by_id(scope, &rated).await? {
        match kinds.get(&record.id) {
            Some(FeedbackKind::NotInterested) => {
                *not_interested.entry(record.draft.modality).or_insert(0) += 1
            }
            Some(FeedbackKind::AlreadyKnown) => {
                known.extend(record.draft.alignments.iter().map(|a| a.competency_id))
            }
            None => {}
        }
    }

    // The open gaps, each with its priority and weightiest reason.
    let mut gaps: HashMap<CompetencyId, (f64, f64, f64, Option<TargetSource>)> = HashMap::new();
    for gap in path.gaps.iter().filter(|g| !g.met()) {
        let best = gap
            .sources
            .iter()
            .max_by(|a, b| priority_of(a).total_cmp(&priority_of(b)));
        gaps.insert(
            gap.competency_id,
            (
                gap.estimate.map_or(0.0, |l| l.value()),
                gap.target.value(),
                best.map_or(PRIORITY_DESIRED, priority_of),
                best.copied(),
            ),
        );
    }

    // Candidates from the three bounded sources.
    let mut candidates: BTreeSet<OpportunityId> = BTreeSet::new();
    if !gaps.is_empty() {
        let wanted: Vec<CompetencyId> = gaps.keys().copied().collect();
        let teaching = store.opportunities_teaching(scope, &wanted).await?;
        candidates.extend(
            teaching
                .into_iter()
                .filter(|id| !excluded.contains(id))
                .take(TEACHING_CANDIDATES),
        );
    }
    let roles: Vec<RoleId> = store
        .role_assignments(scope, person)
        .await?
        .into_iter()
        .filter(|a| a.kind == RoleAssignmentKind::Current)
        .map(|a| a.role_id)
        .collect();
    let mut peers: HashMap<OpportunityId, PeerActivity> = HashMap::new();
    for activity in store
        .peer_activity(scope, &roles, person, PeerQuery::Top(PEER_CANDIDATES))
        .await?
    {
        if activity.completed_by >= MIN_PEOPLE {
            candidates.insert(activity.opportunity_id);
        }
        peers.insert(activity.opportunity_id, activity);
    }
    let since = now - TimeDelta::days(FRESH_DAYS);
    candidates.extend(
        store
            .newest_opportunities(scope, since, NEW_CANDIDATES)
            .await?
            .into_iter()
            .map(|(id, _)| id),
    );
    let ids: Vec<OpportunityId> = candidates
        .into_iter()
        .filter(|id| !excluded.contains(id))
        .collect();

    // The catalogue's rule: published, and in the person's audience.
    let viewer = crate::catalogue::viewer_of(store, scope, person).await?;
    let records: HashMap<OpportunityId, OpportunityRecord> = store
        .opportunities_by_id(scope, &ids)
        .await?
        .into_iter()
        .filter(|r| {
            r.lifecycle == Lifecycle::Published
                && viewer.admitted_by(r.tenant_id, &r.draft.audience)
        })
        .map(|r| (r.id, r))
        .collect();
    let unknown: Vec<OpportunityId> = records
        .keys()
        .filter(|id| !peers.contains_key(id))
        .copied()
        .collect();
    if !unknown.is_empty() {
        for activity in store
            .peer_activity(scope, &roles, person, PeerQuery::Of(&unknown))
            .await?
        {
            peers.insert(activity.opportunity_id, activity);
        }
    }

    let scored: Vec<Scored> = records
        .values()
        .map(|record| {
            let matches = record
                .draft
                .alignments
                .iter()
                .filter_map(|a| {
                    let (current, target, priority, source) = gaps.get(&a.competency_id)?;
                    Some(GapMatch {
                        competency_id: a.competency_id,
                        current: *current,
                        target: *target,
                        teaches: a.level.value(),
                        priority: *priority,
                        source: *source,
                        known: known.contains(&a.competency_id),
                    })
                })
                .collect();
            score(&Signals {
                opportunity_id: record.id,
                modality: record.draft.modality,
                gaps: matches,
                peers: peers.get(&record.id).cloned(),
                age_days: (now - record.created_at).num_minutes() as f64 / (24.0 * 60.0),
                not_interested_in_modality: not_interested
                    .get(&record.draft.modality)
                    .copied()
                    .unwrap_or(0),
            })
        })
        .collect();
    let ranked = rank(scored, count);

    // Names for the reasons.
    let mut named: Vec<CompetencyId> = Vec::new();
    for s in &ranked {
        for r in &s.reasons {
            if let Reason::Gap { competency_id, .. } = r {
                named.push(*competency_id);
            }
        }
    }
    named.sort();
    named.dedup();
    let mut competency_names = HashMap::new();
    for competency in store.competencies(scope, &named).await? {
        competency_names.insert(competency.id, competency.labels.clone());
    }
    let role_names = store
        .list_roles(scope)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let mut records = records;
    let recommendations = ranked
        .into_iter()
        .filter_map(|s| {
            Some(Recommendation {
                opportunity: records.remove(&s.opportunity_id)?,
                score: s.score,
                reasons: s.reasons,
            })
        })
        .collect();
    Ok(RecommendationsView {
        recommendations,
        competency_names,
        role_names,
    })
}

// ---- feedback ----

/// Sets (or changes) the person's own feedback on an opportunity they may see.
pub async fn set_feedback(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    opportunity: OpportunityId,
    kind: FeedbackKind,
) -> AppResult<()> {
    let person = acting_person(acting, Some(person))?;
    let found = store.opportunities_by_id(scope, &[opportunity]).await?;
    if !found
        .iter()
        .any(|o| o.id == opportunity && o.lifecycle != Lifecycle::Draft)
    {
        return Err(AppError::NotFound("opportunity"));
    }
    store
        .set_recommendation_feedback(
            scope,
            &RecommendationFeedback {
                person_id: person,
                opportunity_id: opportunity,
                kind,
                given_at: Utc::now().trunc_subsecs(6),
            },
        )
        .await?;
    Ok(())
}

/// Takes the person's own feedback back; not found if there was none.
pub async fn remove_feedback(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    opportunity: OpportunityId,
) -> AppResult<()> {
    let person = acting_person(acting, Some(person))?;
    if store
        .remove_recommendation_feedback(scope, person, opportunity)
        .await?
    {
        Ok(())
    } else {
        Err(AppError::NotFound("recommendation feedback"))
    }
}

/// One piece of feedback with its opportunity (if the person may still see it).
#[derive(Debug, Clone)]
pub struct FeedbackView {
    pub feedback: RecommendationFeedback,
    pub opportunity: Option<OpportunityRecord>,
}

/// A person's feedback, newest first: the person's own data (and a client's with organisation
/// read access if the person shares their profile, audited). Managers do not see it.
pub async fn feedback_of(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
) -> AppResult<Vec<FeedbackView>> {
    match acting {
        Acting::Principal(Principal::Person { person_id, .. }) if *person_id == person => {}
        Acting::Principal(Principal::Person { .. }) => return Err(AppError::Forbidden),
        _ => {
            may_read(
                store,
                acting,
                scope,
                person,
                "recommendation feedback",
                "recommendation-feedback.read",
            )
            .await?
        }
    }
    let feedback = store
        .recommendation_feedback(scope, person, MAX_FEEDBACK)
        .await?;
    let ids: Vec<OpportunityId> = feedback.iter().map(|f| f.opportunity_id).collect();
    let mut records: HashMap<OpportunityId, OpportunityRecord> = store
        .opportunities_by_id(scope, &ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(feedback
        .into_iter()
        .map(|f| FeedbackView {
            opportunity: records.remove(&f.opportunity_id),
            feedback: f,
        })
        .collect())
}

// ---- ratings ----

/// Stars from 1 to 5, or why not.
pub fn valid_stars(stars: i64) -> AppResult<u8> {
    u8::try_from(stars)
        .ok()
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| ValidationError::new("stars", "from 1 to 5 stars").into())
}

/// The person rates an opportunity they completed: a `rated` statement in the LRS (which the
/// completions reader also records; it is recorded at once here so the page shows it).
pub async fn rate(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
    stars: i64,
    home_page: &str,
    signal: &StatementSignal,
) -> AppResult<RatingRecord> {
    let person = acting_person(acting, None)?;
    let stars = valid_stars(stars)?;
    let record = store.opportunity(scope, opportunity).await?;
    let completed = store
        .person_completions(scope, person)
        .await?
        .iter()
        .any(|c| c.opportunity_id == opportunity);
    if !completed || record.tenant_id != scope.tenant_id() {
        return Err(ValidationError::new(
            "opportunity",
            "only opportunities you completed can be rated",
        )
        .into());
    }
    let now = Utc::now().trunc_subsecs(6);
    let id = uuid::Uuid::now_v7();
    let statement = json!({
        "id": id.to_string(),
        "actor": {"objectType": "Agent", "account": {"homePage": home_page, "name": person.to_string()}},
        "verb": {"id": RATED, "display": {"en-US": "rated", "de-DE": "bewertete"}},
        "object": {"objectType": "Activity", "id": crate::catalogue::activity_id(home_page, opportunity)},
        "result": {"score": {"raw": stars, "min": 1, "max": 5, "scaled": f64::from(stars) / 5.0}},
        "timestamp": now.to_rfc3339(),
    });
    crate::lrs::record_own_statements(store, scope, home_page, vec![statement], signal, "rating")
        .await?;
    let rating = RatingRecord {
        person_id: person,
        opportunity_id: opportunity,
        stars,
        rated_at: now,
        statement_id: id.to_string(),
    };
    store
        .record_ratings(scope, std::slice::from_ref(&rating))
        .await?;
    Ok(rating)
}

/// The person's own rating of an opportunity, and everyone's (count and average only from
/// [`MIN_PEOPLE`] raters on).
pub async fn ratings_of(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
) -> AppResult<(Option<RatingRecord>, Option<RatingSummary>)> {
    let mine = match acting {
        Acting::Principal(Principal::Person { person_id, .. }) => {
            store.rating_of(scope, *person_id, opportunity).await?
        }
        _ => None,
    };
    let summary = store.rating_summary(scope, opportunity).await?;
    Ok((mine, (summary.count >= MIN_PEOPLE).then_some(summary)))
}

/// Stars from a statement's `result.score`: `raw` between `min` and `max` mapped onto 1–5, else
/// `raw` itself, else `scaled` × 5; rounded, and only 1 to 5.
pub fn stars_of(score: &Value) -> Option<u8> {
    let number = |key: &str| score.get(key).and_then(Value::as_f64);
    let value = match (number("raw"), number("min"), number("max")) {
        (Some(raw), Some(min), Some(max)) if max > min => 1.0 + 4.0 * (raw - min) / (max - min),
        (Some(raw), _, _) => raw,
        _ => number("scaled")? * 5.0,
    };
    let stars = value.round();
    (1.0..=5.0).contains(&stars).then_some(stars as u8)
}

/// Records the ratings a page of statements shows (`rated` statements about the company's own
/// opportunities by people of the company, from any source). Voiding is not followed. Returns
/// how many ratings were new or changed.
pub async fn record_ratings(
    store: &dyn Store,
    scope: TenantScope,
    statements: &[StoredStatement],
) -> AppResult<u64> {
    let mut found: Vec<(OpportunityId, ActorKey, u8, DateTime<Utc>, String)> = Vec::new();
    for statement in statements.iter().filter(|s| !s.is_voiding) {
        let Ok(json) = serde_json::from_str::<Value>(&statement.json) else {
            continue;
        };
        if json.pointer("/verb/id").and_then(Value::as_str) != Some(RATED) {
            continue;
        }
        let opportunity = json
            .pointer("/object/id")
            .and_then(Value::as_str)
            .and_then(crate::catalogue::opportunity_of_activity);
        let stars = json.pointer("/result/score").and_then(stars_of);
        let actor = json
            .get("actor")
            .and_then(crate::statement_evidence::actor_key);
        let at = json
            .get("timestamp")
            .or_else(|| json.get("stored"))
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc).trunc_subsecs(6));
        let id = json.get("id").and_then(Value::as_str);
        if let (Some(o), Some(s), Some(a), Some(t), Some(id)) = (opportunity, stars, actor, at, id)
        {
            found.push((o, a, s, t, id.to_owned()));
        }
    }
    if found.is_empty() {
        return Ok(0);
    }
    let ids: Vec<OpportunityId> = found
        .iter()
        .map(|f| f.0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let own: HashSet<OpportunityId> = store
        .opportunities_by_id(scope, &ids)
        .await?
        .into_iter()
        .filter(|o| o.tenant_id == scope.tenant_id())
        .map(|o| o.id)
        .collect();
    let mut people: HashMap<ActorKey, Option<PersonId>> = HashMap::new();
    let mut ratings = Vec::new();
    for (opportunity, actor, stars, at, statement_id) in found {
        if !own.contains(&opportunity) {
            continue;
        }
        let Some(person) = person_of(store, scope, &actor, &mut people).await? else {
            continue;
        };
        ratings.push(RatingRecord {
            person_id: person,
            opportunity_id: opportunity,
            stars,
            rated_at: at,
            statement_id,
        });
    }
    Ok(store.record_ratings(scope, &ratings).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mycel_organisation::{LearningGoalId, RoleId};

    fn id(n: u128) -> OpportunityId {
        uuid::Uuid::from_u128(n).into()
    }

    fn competency(n: u128) -> CompetencyId {
        uuid::Uuid::from_u128(n).into()
    }

    fn role_gap(current: f64, target: f64, teaches: f64, kind: RequirementKind) -> GapMatch {
        let source = TargetSource::Role {
            role_id: RoleId::from(uuid::Uuid::from_u128(7)),
            kind,
            aspired: false,
        };
        GapMatch {
            competency_id: competency(1),
            current,
            target,
            teaches,
            priority: priority_of(&source),
            source: Some(source),
            known: false,
        }
    }

    fn signals(n: u128, modality: Modality) -> Signals {
        Signals {
            opportunity_id: id(n),
            modality,
            gaps: Vec::new(),
            peers: None,
            age_days: 365.0,
            not_interested_in_modality: 0,
        }
    }

    fn peers(n: u128, completed_by: u32, raters: u32, stars_sum: u64) -> Option<PeerActivity> {
        Some(PeerActivity {
            opportunity_id: id(n),
            completed_by,
            ratings: RatingSummary {
                count: raters,
                stars_sum,
            },
        })
    }

    #[test]
    fn a_bigger_gap_and_a_weightier_reason_score_higher() {
        let mut small = signals(1, Modality::Video);
        small.gaps = vec![role_gap(3.0, 4.0, 4.0, RequirementKind::Required)];
        let mut big = signals(2, Modality::Video);
        big.gaps = vec![role_gap(1.0, 4.0, 4.0, RequirementKind::Required)];
        let mut desired = signals(3, Modality::Video);
        desired.gaps = vec![role_gap(1.0, 4.0, 4.0, RequirementKind::Desired)];
        assert_eq!(score(&small).score, 1.0);
        assert_eq!(score(&big).score, 3.0);
        assert_eq!(score(&desired).score, 1.5);
        // Teaching only up to where the person already is closes nothing: no reason.
        let mut useless = signals(4, Modality::Video);
        useless.gaps = vec![role_gap(2.0, 4.0, 2.0, RequirementKind::Required)];
        assert_eq!(score(&useless).score, 0.0);
        assert!(score(&useless).reasons.is_empty());
        // Teaching beyond the target counts only up to the target.
        let mut beyond = signals(5, Modality::Video);
        beyond.gaps = vec![role_gap(3.0, 3.5, 4.0, RequirementKind::Required)];
        assert_eq!(score(&beyond).score, 0.5);
        let goal = TargetSource::Goal {
            goal_id: LearningGoalId::from(uuid::Uuid::from_u128(9)),
        };
        assert_eq!(priority_of(&goal), PRIORITY_REQUIRED);
    }

    #[test]
    fn already_known_damps_the_gap_and_not_interested_lowers_the_modality() {
        let mut plain = signals(1, Modality::Video);
        plain.gaps = vec![role_gap(1.0, 3.0, 3.0, RequirementKind::Required)];
        let mut known = plain.clone();
        known.gaps[0].known = true;
        assert_eq!(score(&plain).score, 2.0);
        assert_eq!(score(&known).score, 2.0 * ALREADY_KNOWN_FACTOR);
        let mut unwanted = plain.clone();
        unwanted.not_interested_in_modality = 1;
        assert!((score(&unwanted).score - (2.0 - NOT_INTERESTED_PENALTY)).abs() < 1e-9);
        unwanted.not_interested_in_modality = 10;
        assert!((score(&unwanted).score - (2.0 - NOT_INTERESTED_PENALTY_MAX)).abs() < 1e-9);
    }

    #[test]
    fn peers_count_from_three_and_their_ratings_move_the_score() {
        let mut two = signals(1, Modality::Video);
        two.peers = peers(1, 2, 2, 10);
        assert!(
            score(&two).reasons.is_empty(),
            "fewer than three colleagues"
        );
        let mut liked = signals(2, Modality::Video);
        liked.peers = peers(2, 4, 3, 14);
        let mut disliked = signals(3, Modality::Video);
        disliked.peers = peers(3, 4, 3, 6);
        let (l, d) = (score(&liked), score(&disliked));
        assert!(l.score > d.score);
        let expected = PEER_WEIGHT * 5f64.ln() + RATING_WEIGHT * (14.0 / 3.0 - 3.0);
        assert!((l.score - expected).abs() < 1e-9);
        assert_eq!(
            l.reasons,
            vec![Reason::Peers {
                completed_by: 4,
                average_rating: Some(14.0 / 3.0)
            }]
        );
        // Two raters: the average is neither shown nor counted.
        let mut few_raters = signals(4, Modality::Video);
        few_raters.peers = peers(4, 4, 2, 10);
        assert_eq!(
            score(&few_raters).reasons,
            vec![Reason::Peers {
                completed_by: 4,
                average_rating: None
            }]
        );
    }

    #[test]
    fn new_ones_fade_and_reasons_come_strongest_first() {
        let mut today = signals(1, Modality::Video);
        today.age_days = 0.0;
        let mut month = signals(2, Modality::Video);
        month.age_days = 30.0;
        assert_eq!(score(&today).score, FRESH_WEIGHT);
        assert_eq!(score(&month).score, FRESH_WEIGHT / 2.0);
        assert_eq!(score(&month).reasons, vec![Reason::New { days: 30 }]);
        assert!(score(&signals(3, Modality::Video)).reasons.is_empty());
        let mut both = today.clone();
        both.gaps = vec![role_gap(1.0, 3.0, 3.0, RequirementKind::Required)];
        let reasons = score(&both).reasons;
        assert!(matches!(reasons[0], Reason::Gap { .. }));
        assert_eq!(reasons[1], Reason::New { days: 0 });
    }

    fn scored(n: u128, modality: Modality, score: f64) -> Scored {
        Scored {
            opportunity_id: id(n),
            modality,
            score,
            reasons: vec![Reason::New { days: 0 }],
        }
    }

    #[test]
    fn the_list_mixes_modalities_when_scores_are_close() {
        let list = vec![
            scored(1, Modality::Video, 3.0),
            scored(2, Modality::Video, 2.9),
            scored(3, Modality::Video, 2.8),
            scored(4, Modality::Classroom, 2.6),
            scored(5, Modality::Document, 1.0),
        ];
        let ids: Vec<OpportunityId> = rank(list.clone(), 4)
            .iter()
            .map(|s| s.opportunity_id)
            .collect();
        // Video 3.0, then classroom 2.6 beats the second video (2.9 − 0.5), then video 2.9,
        // then the third video (2.8 − 1.0 = 1.8) beats the document (1.0).
        assert_eq!(ids, vec![id(1), id(4), id(2), id(3)]);
        // A much better one of the same modality still comes first.
        let far = vec![
            scored(1, Modality::Video, 5.0),
            scored(2, Modality::Video, 4.0),
            scored(3, Modality::Classroom, 1.0),
        ];
        let ids: Vec<OpportunityId> = rank(far, 3).iter().map(|s| s.opportunity_id).collect();
        assert_eq!(ids, vec![id(1), id(2), id(3)]);
        // Those without a reason are not recommended.
        let mut silent = scored(9, Modality::Video, 9.0);
        silent.reasons.clear();
        assert!(rank(vec![silent], 6).is_empty());
        assert_eq!(rank(list, 2).len(), 2);
    }

    #[test]
    fn stars_are_read_from_any_score_shape() {
        assert_eq!(stars_of(&json!({"raw": 4, "min": 1, "max": 5})), Some(4));
        assert_eq!(stars_of(&json!({"raw": 80, "min": 0, "max": 100})), Some(4));
        assert_eq!(stars_of(&json!({"raw": 3})), Some(3));
        assert_eq!(stars_of(&json!({"scaled": 0.9})), Some(5));
        assert_eq!(stars_of(&json!({"raw": 9})), None);
        assert_eq!(stars_of(&json!({"scaled": 0.0})), None);
        assert_eq!(stars_of(&json!({})), None);
        assert!(valid_stars(0).is_err());
        assert!(valid_stars(6).is_err());
        assert_eq!(valid_stars(5).unwrap(), 5);
    }
}
